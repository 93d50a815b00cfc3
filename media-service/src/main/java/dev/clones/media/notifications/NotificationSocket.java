package dev.clones.media.notifications;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * {@code GET /api/notifications}: a WebSocket on which the user's events arrive as JSON text, e.g.
 * {@code {"type":"report.done","id":"…","downloadUrl":"…","eventId":"…"}}. The replica only remembers which of its own
 * connections belong to whom; events reach every replica through Redis, so it does not matter which replica
 * holds a connection or which replica (or worker) caused the event.
 * <p>
 * {@code ?since=<eventId>} resumes: first every kept event after that one, in order, then live events, with no gap
 * and none twice. The connection is registered for live events before the history is read, so an event published
 * meanwhile is either in what is read or arrives live (buffered until the history is sent, and dropped when the
 * history held it: {@link EventDelivery}). When that event is no longer kept, the first message is
 * {@code {"type":"resync"}}: the client reloads what it shows over HTTP.
 */
@WebSocket(path = NotificationSocket.PATH)
public class NotificationSocket {

    static final String PATH = "/api/notifications";

    /** History is read this many events at a time: one Redis call holds no more than this. */
    static final int REPLAY_PAGE = 100;

    /** The history could not be read (Redis away): the client reconnects with the same since and loses nothing. */
    static final CloseReason HISTORY_UNAVAILABLE = new CloseReason(1011, "Missed events could not be read; reconnect with the same since.");

    private static final Logger LOG = Logger.getLogger(NotificationSocket.class);

    private final NotificationConnections connections;
    private final NotificationHistory history;

    public NotificationSocket(NotificationConnections connections, NotificationHistory history) {
        this.connections = connections;
        this.history = history;
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        String userId = connection.userData().get(SessionUpgradeCheck.USER_ID);
        // SessionUpgradeCheck refused a since that is not an eventId: present here means parsable.
        Optional<EventId> since = Optional.ofNullable(connection.userData().get(SessionUpgradeCheck.SINCE)).flatMap(EventId::parse);
        EventDelivery delivery = connections.add(userId, connection, since.isPresent());
        if (since.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return replay(userId, since.get(), delivery)
                .onFailure().recoverWithUni(failure -> {
                    LOG.debugf("Could not replay the history of %s: %s", connection.id(), failure.toString());
                    return connection.close(HISTORY_UNAVAILABLE);
                });
    }

    /** Sends the kept events after {@code since}, a page at a time, then lets the live ones through. */
    private Uni<Void> replay(String userId, EventId since, EventDelivery delivery) {
        return history.after(userId, Optional.of(since), REPLAY_PAGE).flatMap(found -> switch (found) {
            case NotificationHistory.Found.Lost lost -> {
                // Also on a later page: an event trimmed between two pages leaves a gap only a reload closes.
                delivery.resync();
                delivery.replayed();
                yield Uni.createFrom().voidItem();
            }
            case NotificationHistory.Found.Kept kept -> {
                kept.events().forEach(event -> delivery.kept(event.id(), event.event().toString()));
                if (kept.next().isPresent()) {
                    yield replay(userId, kept.next().get(), delivery);
                }
                delivery.replayed();
                yield Uni.createFrom().voidItem();
            }
        });
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        connections.remove(connection.userData().get(SessionUpgradeCheck.USER_ID), connection);
    }

    /** Clients have nothing to say; a ping keeps proxies from closing an idle connection. */
    @OnTextMessage
    public String message(String text) {
        return "ping".equals(text) ? "{\"type\":\"pong\"}" : null;
    }
}
