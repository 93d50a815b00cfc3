package dev.clones.common.error;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure of a shared backing server (Redis, the broker, object storage) from a bug.
 * The former is a 503 that a client may retry on any replica; the latter a 500.
 */
public final class BackingServiceFailures {

    private BackingServiceFailures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof ClosedChannelException
                    || t instanceof TimeoutException
                    || t instanceof io.smallrye.mutiny.TimeoutException
                    || t instanceof IOException) {
                return true;
            }
            // Redis error replies (a script bug, WRONGTYPE, NOPERM) are bugs, not outages: only
            // transport failures and the replies of a Redis that is starting or failing over count.
            String name = t.getClass().getName();
            String message = String.valueOf(t.getMessage());
            // Vert.x reports a connection cut mid-command as "CONNECTION_CLOSED", others as "Connection ...".
            if (name.startsWith("io.netty.channel")
                    || message.toLowerCase(java.util.Locale.ROOT).contains("connection")
                    || message.contains("pool reached max wait queue size")
                    || message.startsWith("LOADING") || message.startsWith("MASTERDOWN") || message.startsWith("READONLY")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
