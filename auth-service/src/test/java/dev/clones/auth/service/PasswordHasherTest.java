package dev.clones.auth.service;

import dev.clones.auth.config.AuthConfig;
import dev.clones.common.error.ApiProblem;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {

    @Test
    void hashesAndVerifiesOffTheCallersThread() {
        PasswordHasher hasher = new PasswordHasher(config(4, 2, 8));
        String hash = hasher.hash("correct horse").await().atMost(Duration.ofSeconds(30));
        assertTrue(hasher.verify("correct horse", hash).await().atMost(Duration.ofSeconds(30)));
        assertFalse(hasher.verify("wrong horse", hash).await().atMost(Duration.ofSeconds(30)));
        assertFalse(hasher.verify("no such user", null).await().atMost(Duration.ofSeconds(30)));
        String thread = hasher.offload(() -> Thread.currentThread().getName()).await().atMost(Duration.ofSeconds(30));
        assertNotEquals(Thread.currentThread().getName(), thread);
        assertTrue(thread.startsWith("password-hashing-"), thread);
        hasher.stop();
    }

    @Test
    void hashingPastTheQueueAnswers503InsteadOfWaiting() throws Exception {
        PasswordHasher hasher = new PasswordHasher(config(4, 1, 1));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Uni<String> busy = hasher.offload(() -> {
            running.countDown();
            await(release);
            return "first";
        }).memoize().indefinitely();
        busy.subscribe().with(item -> { });
        assertTrue(running.await(30, TimeUnit.SECONDS));
        Uni<String> queued = hasher.offload(() -> "second").memoize().indefinitely();
        queued.subscribe().with(item -> { });

        ApiProblem refused = assertThrows(ApiProblem.class,
                () -> hasher.offload(() -> "third").await().atMost(Duration.ofSeconds(30)));
        assertEquals(503, refused.status());

        release.countDown();
        assertEquals("first", busy.await().atMost(Duration.ofSeconds(30)));
        assertEquals("second", queued.await().atMost(Duration.ofSeconds(30)));
        hasher.stop();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static AuthConfig config(int cost, int threads, int queue) {
        AuthConfig.Password password = new AuthConfig.Password() {
            public int bcryptCost() { return cost; }
            public Optional<Integer> hashingThreads() { return Optional.of(threads); }
            public int hashingQueue() { return queue; }
        };
        return new AuthConfig() {
            public Password password() { return password; }
            public Throttle throttle() { throw new UnsupportedOperationException(); }
            public SeedAdmin seedAdmin() { throw new UnsupportedOperationException(); }
        };
    }
}
