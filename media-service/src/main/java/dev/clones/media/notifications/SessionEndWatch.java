package dev.clones.media.notifications;

import dev.clones.common.session.SessionStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes every notification connection of this replica whose session ended, whichever replica ended it and however
 * (logout, revoke, revoke-all, expiry): events carry signed download URLs, and must stop when the session does. The
 * truth is the session's key in Redis, asked for all open connections at once every
 * {@link NotificationsConfig#sessionCheckInterval()}; nothing here remembers sessions beyond the sockets it holds.
 * A check that fails (Redis away) closes nothing and is simply made again at the next tick.
 */
@ApplicationScoped
public class SessionEndWatch {

    /** A private-use close code, as 401 is for HTTP: the client should log in again, not reconnect as it is. */
    static final CloseReason SESSION_ENDED = new CloseReason(4401, "The session ended; log in again.");

    private static final Logger LOG = Logger.getLogger(SessionEndWatch.class);

    private final NotificationConnections connections;
    private final SessionStore sessions;
    private final Vertx vertx;
    private final long intervalMillis;
    private final AtomicBoolean checking = new AtomicBoolean();
    private long timer = -1;

    public SessionEndWatch(NotificationConnections connections, SessionStore sessions, Vertx vertx, NotificationsConfig config) {
        this.connections = connections;
        this.sessions = sessions;
        this.vertx = vertx;
        this.intervalMillis = Math.max(1, config.sessionCheckInterval().toMillis());
    }

    void start(@Observes StartupEvent ignored) {
        timer = vertx.setPeriodic(intervalMillis, tick -> check());
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One check at a time: a slow answer is waited for, never overtaken by the next tick. */
    void check() {
        Map<WebSocketConnection, String> open = connections.sessionsOfOpenConnections();
        if (open.isEmpty() || !checking.compareAndSet(false, true)) {
            return;
        }
        sessions.ended(new HashSet<>(open.values()))
                .eventually(() -> checking.set(false))
                .subscribe().with(ended -> close(open, ended),
                        failure -> LOG.debugf("Could not check the sessions of open notification connections: %s", failure.toString()));
    }

    private static void close(Map<WebSocketConnection, String> open, Set<String> ended) {
        if (ended.isEmpty()) {
            return;
        }
        open.forEach((connection, session) -> {
            if (ended.contains(session) && connection.isOpen()) {
                connection.close(SESSION_ENDED).subscribe().with(ok -> { },
                        failure -> LOG.debugf("Could not close %s: %s", connection.id(), failure.toString()));
            }
        });
    }
}
