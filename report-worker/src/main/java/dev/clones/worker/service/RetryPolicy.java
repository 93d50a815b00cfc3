package dev.clones.worker.service;

import dev.clones.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded attempts with exponential backoff and jitter. The attempt number comes from the broker (the
 * quorum queue counts deliveries in {@code x-delivery-count}), so it holds across workers and crashes:
 * no worker has to remember anything about a job.
 */
@ApplicationScoped
public class RetryPolicy {

    private final WorkerConfig.Retry config;

    public RetryPolicy(WorkerConfig config) {
        this.config = config.retry();
    }

    public int maxAttempts() {
        return config.maxAttempts();
    }

    public boolean isLastAttempt(int attempt) {
        return attempt >= config.maxAttempts();
    }

    /** Wait before attempt {@code attempt + 1}: initial × 2^(attempt−1), capped, minus up to 20 % jitter. */
    public Duration backoffAfter(int attempt) {
        long initial = config.initialBackoff().toMillis();
        long capped = Math.min(config.maxBackoff().toMillis(), initial << Math.min(20, Math.max(0, attempt - 1)));
        long jitter = capped / 5 == 0 ? 0 : ThreadLocalRandom.current().nextLong(capped / 5);
        return Duration.ofMillis(capped - jitter);
    }
}
