package dev.clones.media.notifications;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * {@code GET /api/notifications}: a WebSocket on which the user's events arrive as JSON text, e.g.
 * {@code {"type":"report.done","id":"…","downloadUrl":"…"}}. The replica only remembers which of its own
 * connections belong to whom; events reach every replica through Redis, so it does not matter which replica
 * holds a connection or which replica (or worker) caused the event.
 */
@WebSocket(path = "/api/notifications")
public class NotificationSocket {

    private final NotificationConnections connections;

    public NotificationSocket(NotificationConnections connections) {
        this.connections = connections;
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        connections.add(connection.userData().get(SessionUpgradeCheck.USER_ID), connection);
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
