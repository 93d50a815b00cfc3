package dev.clones.load.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts printed at the end of a run. Every one must be 0; {@link #broken()} says whether one is not.
 * {@code facts} are figures that explain the counts (how many checkouts, how many writes lost their answer)
 * but are allowed to be anything.
 */
public record Invariants(Map<String, Long> counts, Map<String, Long> facts) {

    public static final String LOST_SESSIONS = "lost sessions";
    public static final String SESSIONS_ALIVE_AFTER_LOGOUT = "sessions alive after logout";
    public static final String LOST_CART_LINES = "lost cart lines";
    public static final String UNEXPECTED_CART_LINES = "unexpected cart lines";
    public static final String DUPLICATE_ORDERS = "duplicate orders";
    public static final String MISSING_ORDERS = "missing orders";
    public static final String REPORTS_NOT_DONE = "reports not done";
    public static final String CORRUPT_UPLOADS = "corrupt uploads";
    public static final String UNVERIFIED_USERS = "unverified users";

    public static final List<String> NAMES = List.of(LOST_SESSIONS, SESSIONS_ALIVE_AFTER_LOGOUT, LOST_CART_LINES,
            UNEXPECTED_CART_LINES, DUPLICATE_ORDERS, MISSING_ORDERS, REPORTS_NOT_DONE, CORRUPT_UPLOADS, UNVERIFIED_USERS);

    public Invariants {
        counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }

    public boolean broken() {
        return counts.values().stream().anyMatch(n -> n != 0);
    }

    /** {@code lost sessions: 0} and so on, one per line, in a fixed order. */
    public List<String> lines() {
        return counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }
}
