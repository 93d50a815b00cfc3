package dev.clones.load.check;

import dev.clones.load.ledger.CartChange;
import dev.clones.load.ledger.Checkout;
import dev.clones.load.ledger.Shopper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvariantCheckerTest {

    /** What the API would answer, kept in maps: the checker's logic is tested, not HTTP. */
    private static final class RecordedApi implements ReadBack {
        final Map<String, String> sessions = new HashMap<>();          // session id -> email
        final Map<String, Map<String, Integer>> carts = new HashMap<>(); // email -> cart
        final Map<String, List<String>> orders = new HashMap<>();       // email -> order ids
        final Map<String, String> reports = new HashMap<>();            // report id -> status
        final Map<String, String> avatars = new HashMap<>();            // user id -> sha256
        final Set<String> unreadable = new HashSet<>();                 // emails whose reads fail
        int logins;

        @Override
        public int sessionStatus(Credential credential) {
            return sessions.containsKey(credential.sessionId()) ? 200 : 401;
        }

        @Override
        public Credential login(String email, String password, boolean cookie) {
            String id = "fresh-" + (++logins);
            sessions.put(id, email);
            return new Credential(id, cookie);
        }

        @Override
        public Map<String, Integer> cart(Credential credential) throws ReadBackException {
            String email = sessions.get(credential.sessionId());
            if (unreadable.contains(email)) {
                throw new ReadBackException("GET /api/cart answered 503");
            }
            return carts.getOrDefault(email, Map.of());
        }

        @Override
        public List<String> orderIds(Credential credential) {
            return orders.getOrDefault(sessions.get(credential.sessionId()), List.of());
        }

        @Override
        public String reportStatus(Credential credential, String reportId) {
            return reports.getOrDefault(reportId, "missing");
        }

        @Override
        public Optional<String> avatarSha256(String userId) {
            return Optional.ofNullable(avatars.get(userId));
        }
    }

    private final RecordedApi api = new RecordedApi();
    private final InvariantChecker checker = new InvariantChecker(api, Duration.ZERO, Duration.ofMillis(1), 2);

    /** A shopper logged in with session s-N, two lines in the cart, one order, one report, one avatar; the API agrees. */
    private Shopper consistentShopper(int n) {
        Shopper shopper = new Shopper(n, "u" + n + "@example.com", "password", n % 2 == 0);
        shopper.registered(true);
        shopper.loggedIn("user-" + n, "s-" + n);
        api.sessions.put("s-" + n, shopper.email());
        shopper.cart().applied(new CartChange.Add("TEA", 2));
        shopper.cart().applied(new CartChange.Add("MUG", 1));
        api.carts.put(shopper.email(), Map.of("TEA", 2, "MUG", 1));
        shopper.checkout(new Checkout("k-" + n, "order-" + n));
        api.orders.put(shopper.email(), new ArrayList<>(List.of("order-" + n)));
        shopper.reportAccepted("report-" + n);
        api.reports.put("report-" + n, "done");
        shopper.avatarUploaded("sha-" + n);
        api.avatars.put("user-" + n, "sha-" + n);
        return shopper;
    }

    private Invariants check(Shopper... shoppers) {
        return checker.check(List.of(shoppers)).invariants();
    }

    @Test
    void whenTheApiShowsWhatEveryUserDidEveryCountIsZero() {
        Invariants invariants = check(consistentShopper(1), consistentShopper(2));

        assertFalse(invariants.broken(), String.join(", ", invariants.lines()));
        assertEquals(Invariants.NAMES.size(), invariants.lines().size());
        assertTrue(invariants.lines().contains("lost sessions: 0"));
        assertEquals(2L, invariants.facts().get("orders found"));
    }

    @Test
    void aSessionTheServerForgotIsALostSessionAndTheUserIsStillChecked() {
        Shopper shopper = consistentShopper(1);
        api.sessions.remove("s-1");

        Invariants invariants = check(shopper);

        assertEquals(1, invariants.count(Invariants.LOST_SESSIONS));
        assertEquals(0, invariants.count(Invariants.UNVERIFIED_USERS));
        assertEquals(1, api.logins);
    }

    @Test
    void aSessionRejectedDuringTheRunCountsEvenIfTheUserLoggedInAgain() {
        Shopper shopper = consistentShopper(1);
        shopper.sessionRejected("GET /api/auth/me");
        shopper.loggedIn("user-1", "s-1");

        assertEquals(1, check(shopper).count(Invariants.LOST_SESSIONS));
    }

    @Test
    void aLoggedOutSessionThatStillWorksIsCountedAndALoggedOutUserIsNotALostSession() {
        Shopper shopper = consistentShopper(1);
        shopper.loggedOut();

        Invariants invariants = check(shopper);

        assertEquals(1, invariants.count(Invariants.SESSIONS_ALIVE_AFTER_LOGOUT));
        assertEquals(0, invariants.count(Invariants.LOST_SESSIONS));
    }

    @Test
    void aCartWithALineMissingAndALineNobodyAddedCountsBoth() {
        Shopper shopper = consistentShopper(1);
        api.carts.put(shopper.email(), Map.of("TEA", 2, "SPOON", 3));

        Invariants invariants = check(shopper);

        assertEquals(1, invariants.count(Invariants.LOST_CART_LINES));
        assertEquals(1, invariants.count(Invariants.UNEXPECTED_CART_LINES));
    }

    @Test
    void aConfirmedOrderMissingFromTheListIsMissing() {
        Shopper shopper = consistentShopper(1);
        api.orders.put(shopper.email(), List.of());

        assertEquals(1, check(shopper).count(Invariants.MISSING_ORDERS));
    }

    @Test
    void anOrderNobodyConfirmedIsADuplicateUnlessAnUnansweredCheckoutMayHaveMadeIt() {
        Shopper shopper = consistentShopper(1);
        api.orders.get(shopper.email()).add("order-x");
        assertEquals(1, check(shopper).count(Invariants.DUPLICATE_ORDERS));

        shopper.checkout(new Checkout("k-unanswered", null));
        assertEquals(0, check(shopper).count(Invariants.DUPLICATE_ORDERS));

        api.orders.get(shopper.email()).add("order-y");
        assertEquals(1, check(shopper).count(Invariants.DUPLICATE_ORDERS));
    }

    @Test
    void theSameOrderListedTwiceIsADuplicate() {
        Shopper shopper = consistentShopper(1);
        api.orders.get(shopper.email()).add("order-1");

        assertEquals(1, check(shopper).count(Invariants.DUPLICATE_ORDERS));
    }

    @Test
    void twoKeysAnsweredWithOneOrderMeanAnOrderIsMissing() {
        Shopper shopper = consistentShopper(1);
        shopper.checkout(new Checkout("k-other", "order-1"));

        assertEquals(1, check(shopper).count(Invariants.MISSING_ORDERS));
    }

    @Test
    void aReportStillQueuedAfterTheGraceOrUnknownIsNotDone() {
        Shopper shopper = consistentShopper(1);
        shopper.reportAccepted("report-queued");
        api.reports.put("report-queued", "queued");
        shopper.reportAccepted("report-gone");

        assertEquals(2, check(shopper).count(Invariants.REPORTS_NOT_DONE));
    }

    @Test
    void anAvatarWithOtherBytesIsCorruptButAnUploadInDoubtAllowsEitherVersion() {
        Shopper shopper = consistentShopper(1);
        api.avatars.put("user-1", "sha-other");
        assertEquals(1, check(shopper).count(Invariants.CORRUPT_UPLOADS));

        shopper.avatarUploadUncertain("sha-other");
        assertEquals(0, check(shopper).count(Invariants.CORRUPT_UPLOADS));

        api.avatars.remove("user-1");
        assertEquals(1, check(shopper).count(Invariants.CORRUPT_UPLOADS));
    }

    @Test
    void aUserWhoseStateCannotBeReadIsUnverified() {
        Shopper shopper = consistentShopper(1);
        api.unreadable.add(shopper.email());

        Invariants invariants = check(shopper, consistentShopper(2));

        assertEquals(1, invariants.count(Invariants.UNVERIFIED_USERS));
        assertTrue(invariants.broken());
    }

    @Test
    void aUserWhoNeverLoggedInIsNotReadBack() {
        Shopper shopper = new Shopper(9, "u9@example.com", "password", false);

        Invariants invariants = check(shopper);

        assertFalse(invariants.broken());
        assertEquals(0, api.logins);
    }
}
