package dev.clones.common.redis;

import dev.clones.common.config.ClonesConfig;
import io.smallrye.mutiny.Uni;

import java.time.Duration;

/**
 * Puts the upper bound of {@code clones.redis.call-timeout} on Redis round trips, so that a Redis which stops
 * answering fails the request instead of hanging.
 *
 * <p>A call without a reply in time fails with Mutiny's {@link io.smallrye.mutiny.TimeoutException}, which
 * {@link dev.clones.common.error.BackingServiceFailures} counts as an outage: a 503 the client may retry on any
 * replica. Everything else passes through untouched, so a Redis error reply (a script bug, WRONGTYPE) stays a 500.
 */
public final class RedisCalls {

    private final Duration callTimeout;

    public RedisCalls(ClonesConfig.Redis config) {
        this.callTimeout = config.callTimeout();
    }

    /** The same call, failing with a timeout when Redis has not answered within the call timeout. */
    public <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(callTimeout).fail();
    }
}
