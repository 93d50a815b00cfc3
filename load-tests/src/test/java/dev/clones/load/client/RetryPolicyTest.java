package dev.clones.load.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(200));

    @Test
    void safeMethodsAndRequestsWithAnIdempotencyKeyAreRetriedOnTransientFailures() {
        assertTrue(policy.again("GET", false, false, 503, 1));
        assertTrue(policy.again("GET", false, false, 0, 1));
        assertTrue(policy.again("POST", true, false, 502, 1));
        assertTrue(policy.again("PUT", false, false, 500, 3));
    }

    @Test
    void aPostWithoutKeyAConditionalPutAndADefiniteAnswerAreNot() {
        assertFalse(policy.again("POST", false, false, 503, 1));
        assertFalse(policy.again("PUT", false, true, 503, 1));
        assertFalse(policy.again("GET", false, false, 404, 1));
        assertFalse(policy.again("GET", false, false, 401, 1));
        assertFalse(policy.again("GET", false, false, 503, 4));
    }

    @Test
    void backoffGrowsAndStaysWithinItsJitter() {
        for (int i = 0; i < 100; i++) {
            long first = policy.backoff(1).toMillis();
            long third = policy.backoff(3).toMillis();
            assertTrue(first >= 100 && first <= 200, "first backoff " + first);
            assertTrue(third >= 400 && third <= 800, "third backoff " + third);
        }
    }
}
