package dev.clones.media.notifications;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An event's id: the id of its entry in the user's Redis Stream, {@code <ms>-<seq>}, two unsigned 64-bit numbers.
 * Opaque to clients, but ordered: a user's events are ordered by (ms, seq) as numbers. Never compare the text:
 * {@code "999-0"} sorts after {@code "1000-0"} as a string.
 */
public record EventId(long millis, long sequence) implements Comparable<EventId> {

    private static final Pattern FORM = Pattern.compile("[0-9]{1,20}-[0-9]{1,20}");

    /** The id as Redis writes it (and clients send it back). */
    @Override
    public String toString() {
        return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }

    @Override
    public int compareTo(EventId other) {
        int byMillis = Long.compareUnsigned(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
    }

    public boolean isAfter(EventId other) {
        return compareTo(other) > 0;
    }

    /** The id in {@code text}, or empty when it is not one Redis could have written (a 400 for the client). */
    public static Optional<EventId> parse(String text) {
        if (text == null || !FORM.matcher(text).matches()) {
            return Optional.empty();
        }
        int dash = text.indexOf('-');
        try {
            return Optional.of(new EventId(Long.parseUnsignedLong(text.substring(0, dash)), Long.parseUnsignedLong(text.substring(dash + 1))));
        } catch (NumberFormatException overflow) {
            return Optional.empty();
        }
    }
}
