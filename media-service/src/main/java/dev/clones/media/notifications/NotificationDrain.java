package dev.clones.media.notifications;

import dev.clones.common.http.FrameworkErrors;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.Open;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * When this replica is told to stop (SIGTERM), it tells every client of a notification socket to reconnect elsewhere
 * before it stops serving, and takes no new socket: the client resumes at once on another replica with
 * {@code since=<the last eventId it received>} and misses nothing (the history is in Redis, not here).
 *
 * <p>Where this sits in Quarkus's shutdown (3.33, {@code quarkus.shutdown.delay-enabled=true} in common's config):
 * <ol>
 *   <li>pre-shutdown: {@link ShutdownDelayInitiatedEvent} is fired (synchronously, on the shutdown thread), readiness
 *   turns DOWN, HTTP keeps serving. <b>The drain runs here</b>, while every socket is still open.</li>
 *   <li>{@code quarkus.shutdown.delay}: HTTP still serves, so the clients' answering close frames are read and the
 *   close handshakes finish; upgrades arriving meanwhile are refused (503) so no client is accepted by this replica.</li>
 *   <li>{@code quarkus.shutdown.timeout}: in-flight HTTP requests finish.</li>
 *   <li>The HTTP server closes, then {@code ShutdownEvent} is fired. websockets-next does not close server sockets
 *   itself; a socket still open is cut with the TCP connection, and its client sees an abnormal closure (1006)
 *   instead of a reason to reconnect. Observing {@code ShutdownEvent} would be too late for the same reason.</li>
 * </ol>
 *
 * <p>Invariants:
 * <ul>
 *   <li>Once {@link #draining} is set, no notification socket of this replica stays open past the drain: the sockets
 *   open then are closed by {@link #drain}, and one that opens later (its upgrade was admitted just before) is closed by
 *   {@link #closeIfDraining} as it opens. Each side writes first (the flag; the connection into the open set) and reads
 *   the other second, so at least one of them sees the other, whatever the interleaving.</li>
 *   <li>The drain waits for its close frames to be written, at most {@link NotificationsConfig#drainTimeout()}, so that
 *   the shutdown never waits on a stuck peer longer than that.</li>
 *   <li>An upgrade is refused here, before authentication, with a problem+json 503 whenever a socket opened now could
 *   not keep its promise: this replica drains, or its subscription to the notification channel is not provably live
 *   (a socket would miss events without anyone knowing). The client retries, likely on another replica.</li>
 * </ul>
 */
@ApplicationScoped
public class NotificationDrain {

    /** 1012 (service restart, RFC 6455 registry): the client reconnects at once, to another replica, resuming. */
    static final CloseReason SERVICE_RESTART = new CloseReason(1012,
            "Service restarting; reconnect with since=<the last eventId received>.");

    private static final Logger LOG = Logger.getLogger(NotificationDrain.class);

    private final OpenConnections open;
    private final NotificationFeed feed;
    private final FrameworkErrors errors;
    private final Duration timeout;
    private volatile boolean draining;

    public NotificationDrain(OpenConnections open, NotificationFeed feed, FrameworkErrors errors, NotificationsConfig config) {
        this.open = open;
        this.feed = feed;
        this.errors = errors;
        this.timeout = config.drainTimeout();
    }

    /** True from the moment this replica was told to stop. */
    public boolean isDraining() {
        return draining;
    }

    /**
     * Refuses upgrades before websockets-next sees them (the refusal of an upgrade check has no body). Ordered right
     * after the body-size check of {@link FrameworkErrors}, which a bodiless upgrade passes.
     */
    void install(@Observes Router router) {
        router.route(NotificationSocket.PATH).order(Integer.MIN_VALUE + 2).handler(this::admit);
    }

    private void admit(RoutingContext rc) {
        if (draining) {
            errors.answer(rc, 503, "Service Unavailable",
                    "This replica is restarting; connect again (another replica will answer) with the same since.",
                    Map.of("Retry-After", "1"));
        } else if (!feed.isLive()) {
            errors.answer(rc, 503, "Service Unavailable",
                    "This replica cannot deliver notifications right now; connect again with the same since.",
                    Map.of("Retry-After", "1"));
        } else {
            rc.next();
        }
    }

    /**
     * Closes every open socket of this replica with 1012 and waits for the close frames to be written. Every server
     * socket of media-service is a notification socket ({@link NotificationSocket} is its only endpoint).
     */
    void drain(@Observes ShutdownDelayInitiatedEvent ignored) {
        draining = true;
        List<Uni<Void>> closes = open.listAll().stream().map(NotificationDrain::close).toList();
        if (closes.isEmpty()) {
            return;
        }
        LOG.infof("Closing %d notification socket(s) with 1012: this replica is stopping", closes.size());
        try {
            Uni.join().all(closes).andFailFast().replaceWithVoid().await().atMost(timeout);
        } catch (TimeoutException e) {
            LOG.warnf("Not all notification sockets were closed within %s; the rest end with the HTTP server", timeout);
        }
    }

    /** A socket that opened after the drain took its list: its upgrade was admitted just before the drain began. */
    void closeIfDraining(@ObservesAsync @Open WebSocketConnection connection) {
        if (draining) {
            close(connection).subscribe().with(closed -> { });
        }
    }

    private static Uni<Void> close(WebSocketConnection connection) {
        if (!connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        // A close that fails (the peer is gone already) leaves nothing to wait for.
        return connection.close(SERVICE_RESTART).onFailure().recoverWithUni(failure -> {
            LOG.debugf("Could not close %s: %s", connection.id(), failure.toString());
            return Uni.createFrom().voidItem();
        });
    }
}
