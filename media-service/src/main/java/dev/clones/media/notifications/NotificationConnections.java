package dev.clones.media.notifications;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This replica's open notification connections by user. The only per-replica state of media-service, and
 * it is not state anyone depends on: it is exactly the set of sockets this process holds, gone with them.
 */
@ApplicationScoped
public class NotificationConnections {

    private static final Logger LOG = Logger.getLogger(NotificationConnections.class);

    private final Map<String, Set<WebSocketConnection>> byUser = new ConcurrentHashMap<>();

    public NotificationConnections(MeterRegistry metrics) {
        metrics.gaugeMapSize("notifications.users.connected", java.util.List.of(), byUser);
    }

    void add(String userId, WebSocketConnection connection) {
        byUser.computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    void remove(String userId, WebSocketConnection connection) {
        byUser.computeIfPresent(userId, (id, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }

    /** The open connections here, each with the handle of the session it was opened with. */
    Map<WebSocketConnection, String> sessionsOfOpenConnections() {
        Map<WebSocketConnection, String> open = new HashMap<>();
        byUser.values().forEach(set -> set.forEach(connection -> {
            if (connection.isOpen()) {
                open.put(connection, connection.userData().get(SessionUpgradeCheck.SESSION_ID));
            }
        }));
        return open;
    }

    /** Sends {@code event} (JSON text) to every open connection of the user here; answers how many. */
    public int deliver(String userId, String event) {
        Set<WebSocketConnection> open = byUser.get(userId);
        if (open == null) {
            return 0;
        }
        int sent = 0;
        for (WebSocketConnection connection : open) {
            if (connection.isOpen()) {
                connection.sendText(event).subscribe().with(ok -> { },
                        failure -> LOG.debugf("Could not deliver a notification on %s: %s", connection.id(), failure));
                sent++;
            }
        }
        return sent;
    }
}
