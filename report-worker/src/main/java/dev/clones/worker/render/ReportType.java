package dev.clones.worker.render;

import java.util.Locale;
import java.util.Optional;

/** What a report is about. */
public enum ReportType {
    /** Every order of the user, with its lines and totals. */
    ORDERS,
    /** The user's cart as it is now, priced with today's catalogue. */
    CART;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReportType> fromWire(String name) {
        for (ReportType type : values()) {
            if (type.wireName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
