package dev.clones.load.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The reads the invariant checker makes through the public API (see docs/api.md); each retries what is safe to retry. */
public interface ReadBack {

    /** The HTTP status of GET /api/auth/me with this session: 200 alive, 401 gone. */
    int sessionStatus(Credential credential) throws ReadBackException;

    /** POST /api/auth/login: a fresh session for reading a user whose session is gone. */
    Credential login(String email, String password, boolean cookie) throws ReadBackException;

    /** GET /api/cart: sku to quantity. */
    Map<String, Integer> cart(Credential credential) throws ReadBackException;

    /** GET /api/orders: the ids of the user's orders, duplicates included. */
    List<String> orderIds(Credential credential) throws ReadBackException;

    /** GET /api/reports/{id}: its status, or {@code "missing"} for 404. */
    String reportStatus(Credential credential, String reportId) throws ReadBackException;

    /** The sha256 (hex) of the bytes GET /api/media/avatar/{userId} leads to; empty when it answers 404. */
    Optional<String> avatarSha256(String userId) throws ReadBackException;
}
