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
            String name = t.getClass().getName();
            String message = String.valueOf(t.getMessage());
            if (name.startsWith("io.vertx.redis") || name.startsWith("io.netty.channel")
                    || message.contains("Connection refused") || message.contains("Connection is closed")
                    || message.contains("Connection closed") || message.contains("LOADING")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
