package dev.clones.common.redis;

import java.time.Duration;

/**
 * A read made on the Redis primary whose data fewer replicas than {@code clones.redis.write-replicas} confirmed within
 * {@code clones.redis.replica-timeout} (see {@link RedisCalls#confirmedRead}): what it saw could still vanish in a
 * failover, so it is not shown. A 503 (see {@link dev.clones.common.error.BackingServiceFailures}); nothing was changed,
 * and the client may read again.
 */
public final class ReadNotConfirmed extends RuntimeException {

    public ReadNotConfirmed(long confirmed, int required, Duration timeout) {
        super("Redis data read confirmed by " + confirmed + " of " + required + " required replicas within " + timeout.toMillis() + " ms");
    }
}
