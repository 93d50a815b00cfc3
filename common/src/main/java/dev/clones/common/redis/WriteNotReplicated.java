package dev.clones.common.redis;

import java.time.Duration;

/**
 * A write that Redis made on the primary but that fewer replicas than {@code clones.redis.write-replicas} confirmed
 * within {@code clones.redis.replica-timeout}. It may still reach them, or be lost if the primary dies first: the
 * request is not answered as a success but as a 503 (see {@link dev.clones.common.error.BackingServiceFailures}),
 * and the client's retry, made safe by idempotency keys, finds the write or makes it again.
 */
public final class WriteNotReplicated extends RuntimeException {

    public WriteNotReplicated(long confirmed, int required, Duration timeout) {
        super("Redis write confirmed by " + confirmed + " of " + required + " required replicas within " + timeout.toMillis() + " ms");
    }
}
