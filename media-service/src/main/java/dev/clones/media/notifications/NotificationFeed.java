package dev.clones.media.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clones.common.pubsub.LiveSubscription;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Brings every event published on the notification channel to this replica's open connections of its user,
 * on a {@link LiveSubscription}: Redis does not keep subscriptions across its restarts and a half-open
 * connection can stay silent, so a subscription that stops echoing its heartbeats is renewed.
 */
@ApplicationScoped
public class NotificationFeed {

    private static final Logger LOG = Logger.getLogger(NotificationFeed.class);

    private final NotificationConnections connections;
    private final ObjectMapper json;
    private final String channel;
    private final LiveSubscription subscription;

    public NotificationFeed(Redis redis, Vertx vertx, NotificationConnections connections, ObjectMapper json,
                            NotificationsConfig config) {
        this.connections = connections;
        this.json = json;
        this.channel = config.channel();
        this.subscription = new LiveSubscription("notification subscription", redis, vertx, List.of(channel), channel,
                config.heartbeatInterval(), config.heartbeatInterval().multipliedBy(3));
    }

    void start(@Observes StartupEvent ignored) {
        subscription.start(new LiveSubscription.Listener() {
            @Override
            public void subscribed() {
            }

            @Override
            public void unsubscribed() {
            }

            @Override
            public void message(String source, String payload) {
                if (channel.equals(source)) {
                    deliver(payload);
                }
            }
        });
    }

    /**
     * True while the subscription provably hears the channel (its heartbeats come back). A socket opened while it
     * does not would silently miss events, so upgrades are refused meanwhile (503): the client tries another replica.
     */
    public boolean isLive() {
        return subscription.isLive();
    }

    void stop(@Observes ShutdownEvent ignored) {
        subscription.stop();
    }

    /**
     * {@code {"userId": "...", "event": {..., "eventId": "..."}}}: the event goes, as it is, to the user's connections
     * here, each of which sends it unless it sent it already (from the replayed history).
     */
    private void deliver(String payload) {
        try {
            JsonNode envelope = json.readTree(payload);
            JsonNode userId = envelope.get("userId");
            JsonNode event = envelope.get("event");
            if (userId == null || event == null || !event.isObject()) {
                LOG.debugf("Ignoring a malformed notification: %s", payload);
                return;
            }
            JsonNode eventId = event.get("eventId");
            connections.deliver(userId.asText(), eventId == null ? null : EventId.parse(eventId.asText()).orElse(null),
                    json.writeValueAsString(event));
        } catch (Exception e) {
            LOG.debugf("Ignoring an unreadable notification (%s): %s", e.getMessage(), payload);
        }
    }
}
