package dev.clones.media.notifications;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * This replica's open notification connections by user. The only per-replica state of media-service, and
 * it is not state anyone depends on: it is exactly the set of sockets this process holds, gone with them.
 */
@ApplicationScoped
public class NotificationConnections {

    /** User id → connection id → what that connection has been sent. */
    private final Map<String, Map<String, EventDelivery>> byUser = new ConcurrentHashMap<>();

    public NotificationConnections(MeterRegistry metrics) {
        metrics.gaugeMapSize("notifications.users.connected", List.of(), byUser);
    }

    /**
     * Registers the connection for the user's live events from now on. {@code replaying}: the caller replays the
     * user's kept history next and calls {@link EventDelivery#replayed()} when done; live events wait until then.
     */
    EventDelivery add(String userId, WebSocketConnection connection, boolean replaying) {
        EventDelivery delivery = new EventDelivery(connection, replaying);
        byUser.computeIfAbsent(userId, id -> new ConcurrentHashMap<>()).put(connection.id(), delivery);
        return delivery;
    }

    /** The delivery of an open connection of the user here, or none once it closed. */
    Optional<EventDelivery> of(String userId, WebSocketConnection connection) {
        Map<String, EventDelivery> open = byUser.get(userId);
        return Optional.ofNullable(open == null ? null : open.get(connection.id()));
    }

    void remove(String userId, WebSocketConnection connection) {
        byUser.computeIfPresent(userId, (id, open) -> {
            open.remove(connection.id());
            return open.isEmpty() ? null : open;
        });
    }

    /** Every open connection here, with its user. */
    void forEach(BiConsumer<String, EventDelivery> action) {
        byUser.forEach((userId, open) -> open.values().forEach(delivery -> action.accept(userId, delivery)));
    }

    /** The open connections here, each with the handle of the session it was opened with. */
    Map<WebSocketConnection, String> sessionsOfOpenConnections() {
        Map<WebSocketConnection, String> open = new HashMap<>();
        byUser.values().forEach(ofUser -> ofUser.values().forEach(delivery -> {
            WebSocketConnection connection = delivery.connection();
            if (connection.isOpen()) {
                open.put(connection, connection.userData().get(SessionUpgradeCheck.SESSION_ID));
            }
        }));
        return open;
    }

    /**
     * Hands the live event {@code event} (JSON text, its id {@code id}, null when it has none) to every connection
     * of the user here; each sends it unless it sent it already (see {@link EventDelivery}). Answers how many
     * connections it was handed to.
     */
    public int deliver(String userId, EventId id, String event) {
        Map<String, EventDelivery> open = byUser.get(userId);
        if (open == null) {
            return 0;
        }
        open.values().forEach(delivery -> delivery.live(id, event));
        return open.size();
    }
}
