package dev.clones.common.error;

import dev.clones.common.redis.ReadNotConfirmed;
import dev.clones.common.redis.WriteNotReplicated;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Tells a failure of a shared backing server (Redis, the broker, object storage) from a bug.
 * The former is a 503 that a client may retry on any replica; the latter a 500.
 */
public final class BackingServiceFailures {

    private static final Pattern BATCH_REPLY = Pattern.compile("^ERR \\[\\d+] ");

    private BackingServiceFailures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof ClosedChannelException
                    || t instanceof TimeoutException
                    || t instanceof io.smallrye.mutiny.TimeoutException
                    || t instanceof IOException
                    // Made on the primary but not confirmed by enough replicas in time: telling the user it
                    // succeeded could be a lie after a failover, and the idempotent retry finds or redoes it.
                    || t instanceof WriteNotReplicated
                    // Read on the primary, not yet on a replica: showing it could show what a failover takes back.
                    || t instanceof ReadNotConfirmed) {
                return true;
            }
            // Redis error replies (a script bug, WRONGTYPE, NOPERM) are bugs, not outages: only
            // transport failures and the replies of a Redis that is starting or failing over count.
            String name = t.getClass().getName();
            String message = String.valueOf(t.getMessage());
            // A batch (a write and its WAIT) fails with the failed command's reply behind its index, "ERR [0] READONLY ...".
            String reply = BATCH_REPLY.matcher(message).replaceFirst("");
            // Vert.x reports a connection cut mid-command as "CONNECTION_CLOSED", others as "Connection ...".
            if (name.startsWith("io.netty.channel")
                    || message.toLowerCase(java.util.Locale.ROOT).contains("connection")
                    || message.contains("pool reached max wait queue size")
                    || reply.startsWith("LOADING") || reply.startsWith("MASTERDOWN") || reply.startsWith("READONLY")
                    // A primary with min-replicas-to-write refuses writes while too few replicas are connected:
                    // nothing was written, and it passes once a replica is back or Sentinel has failed over.
                    || reply.startsWith("NOREPLICAS")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** True for a write made on the Redis primary that too few replicas confirmed ({@link WriteNotReplicated}). */
    public static boolean isUnconfirmedWrite(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WriteNotReplicated) {
                return true;
            }
        }
        return false;
    }
}
