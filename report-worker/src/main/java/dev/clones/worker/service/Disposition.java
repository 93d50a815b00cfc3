package dev.clones.worker.service;

import java.time.Duration;

/** What becomes of a delivered job message once a worker is through with it. */
public record Disposition(Kind kind, Duration delay) {

    public enum Kind {
        /** Finished, or nothing (more) to do: acknowledge, the broker forgets it. */
        ACK,
        /** Failed this time: hand it back after {@code delay}, so that any worker tries again. */
        RETRY,
        /** Given up: reject without requeue, the broker moves it to the dead-letter queue. */
        DEAD_LETTER
    }

    public static Disposition ack() {
        return new Disposition(Kind.ACK, Duration.ZERO);
    }

    public static Disposition retryAfter(Duration delay) {
        return new Disposition(Kind.RETRY, delay);
    }

    public static Disposition deadLetter() {
        return new Disposition(Kind.DEAD_LETTER, Duration.ZERO);
    }
}
