package dev.clones.contracts;

/**
 * The notification events of a user, kept and live: report-worker appends an event to its user's stream and publishes
 * it on the user's own channel in one Lua step; media-service reads the stream to replay what a reconnecting socket (or
 * a polling client) missed, and a replica subscribes to a user's channel only while it holds a socket of that user, so
 * an event reaches the replicas that have someone to give it to and no other. The entry id is the event's
 * {@code eventId}.
 */
public final class NotificationKeys {

    /**
     * Prefix of {@code notifications:events:{userId}}, a Redis Stream of the user's events, oldest first, each entry
     * one field {@code event} (the event's JSON without its id). Bounded by count and age by its writer, and expiring
     * with the age bound once the user is idle.
     */
    public static final String EVENTS_PREFIX = "notifications:events:";

    /**
     * Prefix of {@code notifications:live:{userId}}, the pub/sub channel of the user's live events: each message is
     * {@code {"userId": "...", "event": {..., "eventId": "..."}}}, published in the same step that keeps the event.
     */
    public static final String LIVE_PREFIX = "notifications:live:";

    private NotificationKeys() {
    }

    public static String events(String userId) {
        return EVENTS_PREFIX + userId;
    }

    public static String live(String userId) {
        return LIVE_PREFIX + userId;
    }
}
