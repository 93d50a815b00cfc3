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
 * connections belong to whom, and hears the channel of each such user through Redis ({@link NotificationFeed}), so it
 * does not matter which replica holds a connection or which replica (or worker) caused the event.
 * <p>
 * {@code ?since=<eventId>} resumes: first every kept event after that one, in order, then live events, with no gap
 * and none twice. The connection is registered, and its user's channel confirmed, before the history is read, so an
 * event published meanwhile is either in what is read or arrives live (buffered until the history is sent, and dropped
 * when the history held it: {@link EventDelivery}). When that event is no longer kept, the first message is
 * {@code {"type":"resync"}}: the client reloads what it shows over HTTP.
 */
@WebSocket(path = NotificationSocket.PATH)
public class NotificationSocket {

    static final String PATH = "/api/notifications";

    /**
     * The user's live events could not be subscribed to or the history could not be read (Redis away): the client
     * reconnects with the same since (or the last eventId it saw) and loses nothing.
     */
    static final CloseReason HISTORY_UNAVAILABLE = new CloseReason(1011, "Missed events could not be read; reconnect with the same since.");

    static final String PONG = "{\"type\":\"pong\"}";

    private static final Logger LOG = Logger.getLogger(NotificationSocket.class);

    private final NotificationConnections connections;
    private final HistoryReplay replay;
    private final NotificationFeed feed;

    public NotificationSocket(NotificationConnections connections, HistoryReplay replay, NotificationFeed feed) {
        this.connections = connections;
        this.replay = replay;
        this.feed = feed;
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        String userId = connection.userData().get(SessionUpgradeCheck.USER_ID);
        // SessionUpgradeCheck refused a since that is not an eventId: present here means parsable.
        Optional<EventId> since = Optional.ofNullable(connection.userData().get(SessionUpgradeCheck.SINCE)).flatMap(EventId::parse);
        EventDelivery delivery = connections.add(userId, connection, since.isPresent());
        // The user's channel is confirmed before the history is read: what the read misses arrives live.
        return feed.listen(userId)
                .chain(() -> since.isPresent() ? replay.after(userId, since.get(), delivery) : Uni.createFrom().voidItem())
                .onFailure().recoverWithUni(failure -> {
                    LOG.debugf("Could not subscribe %s or replay its history: %s", connection.id(), failure.toString());
                    return connection.close(HISTORY_UNAVAILABLE);
                })
                .eventually(delivery::settled);
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        String userId = connection.userData().get(SessionUpgradeCheck.USER_ID);
        connections.remove(userId, connection);
        feed.stopListening(userId);
    }

    /**
     * Clients have nothing to say but "ping", which keeps proxies from closing an idle connection. The pong waits until
     * the connection is live (its user's channel subscribed here, the history it resumed from sent): the upgrade is
     * answered before that, so a client that must not miss what is published right after it connected, without a
     * since, waits for its first pong.
     */
    @OnTextMessage
    public Uni<Void> message(WebSocketConnection connection, String text) {
        if (!"ping".equals(text)) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> live = connections.of(connection.userData().get(SessionUpgradeCheck.USER_ID), connection)
                .map(delivery -> Uni.createFrom().completionStage(delivery.ready()))
                .orElseGet(() -> Uni.createFrom().voidItem());
        return live.chain(() -> connection.sendText(PONG));
    }
}
