package dev.clones.load.client;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the load's clients retry, the way a careful real client does: a request is sent again only when
 * sending it twice cannot do the work twice (RFC 9110 §9.2.2) — safe methods, PUT without a condition, and
 * any request carrying an Idempotency-Key, which is sent again with the same key — and only when the
 * failure may be transient: a 5xx or no answer at all. A 4xx is the server's definite answer.
 */
public record RetryPolicy(int maxAttempts, Duration firstBackoff) {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
    }

    public boolean retriable(String method, boolean idempotencyKey, boolean conditional) {
        return SAFE.contains(method) || idempotencyKey || ("PUT".equals(method) && !conditional);
    }

    /** Status 0 stands for no answer (connection refused or cut, timeout). */
    public static boolean transientFailure(int status) {
        return status == 0 || status >= 500;
    }

    public boolean again(String method, boolean idempotencyKey, boolean conditional, int status, int attemptsMade) {
        return attemptsMade < maxAttempts && transientFailure(status) && retriable(method, idempotencyKey, conditional);
    }

    /** Exponential with jitter, so that the clients a replica failed at once do not come back at once. */
    public Duration backoff(int attemptsMade) {
        long base = firstBackoff.toMillis() << Math.min(attemptsMade - 1, 6);
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }
}
