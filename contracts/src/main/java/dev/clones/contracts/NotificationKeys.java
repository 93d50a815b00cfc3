package dev.clones.contracts;

/**
 * The kept notification events of a user: report-worker appends an event to its user's stream in the same Lua step
 * that publishes it live; media-service reads the stream to replay what a reconnecting socket (or a polling client)
 * missed. The entry id is the event's {@code eventId}.
 */
public final class NotificationKeys {

    /**
     * Prefix of {@code notifications:events:{userId}}, a Redis Stream of the user's events, oldest first, each entry
     * one field {@code event} (the event's JSON without its id). Bounded by count and age by its writer, and expiring
     * with the age bound once the user is idle.
     */
    public static final String EVENTS_PREFIX = "notifications:events:";

    private NotificationKeys() {
    }

    public static String events(String userId) {
        return EVENTS_PREFIX + userId;
    }
}
