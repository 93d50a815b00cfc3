package dev.clones.common.session;

import java.time.Instant;
import java.util.Set;

/**
 * A logged-in session as stored in Redis. {@code id} is the public handle (a hash of the
 * secret token), safe to list and to use for revocation; the token itself is never stored.
 */
public record Session(String id, String userId, String email, Set<String> roles,
                      Instant createdAt, Instant lastSeenAt, Instant absoluteExpiry, String userAgent) {

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
