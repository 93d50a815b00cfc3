package dev.clones.media.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clones.common.pubsub.LiveSubscription;
import dev.clones.contracts.NotificationKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Brings the live events of the users with an open connection here to those connections, on a {@link LiveSubscription}:
 * Redis does not keep subscriptions across its restarts and a half-open connection can stay silent, so a subscription
 * that stops echoing its heartbeats is renewed.
 * <p>
 * Each user has a channel of their own ({@link NotificationKeys#live}); a replica subscribes to it while it holds a
 * connection of that user ({@link #listen}) and not otherwise, so an event costs Redis one delivery per replica that
 * has someone to give it to, not one per replica: adding replicas does not multiply the fan-out of every event.
 */
@ApplicationScoped
public class NotificationFeed {

    private static final Logger LOG = Logger.getLogger(NotificationFeed.class);

    private final NotificationConnections connections;
    private final ObjectMapper json;
    private final String broadcastChannel;
    private final LiveSubscription subscription;
    private final HistoryReplay replay;
    /** False until the subscription was first live: later, it is live again after a loss. Only the listener touches it, under the subscription's lock. */
    private boolean renewal;
    /** Every event this replica was handed by Redis: with per-user channels, only events of users connected here. */
    private final Counter received;

    public NotificationFeed(Redis redis, Vertx vertx, NotificationConnections connections, ObjectMapper json,
                            NotificationsConfig config, MeterRegistry metrics, HistoryReplay replay) {
        this.connections = connections;
        this.replay = replay;
        this.json = json;
        this.broadcastChannel = config.broadcastChannel();
        this.subscription = new LiveSubscription("notification subscription", redis, vertx, List.of(broadcastChannel),
                "notifications", config.heartbeatInterval(), config.heartbeatInterval().multipliedBy(3));
        this.received = metrics.counter("notifications.events.received");
        metrics.gauge("notifications.channels.subscribed", List.of(), subscription, LiveSubscription::joinedChannels);
    }

    /**
     * Subscribes this replica to the user's live events, for one more connection of theirs; completes once Redis
     * confirmed it, so that what the user's history lacks when read after this arrives live. Fails when that cannot be
     * confirmed within the subscription's liveness bound (Redis away). Every call is matched by one
     * {@link #stopListening}, whatever the outcome.
     */
    public Uni<Void> listen(String userId) {
        return subscription.join(NotificationKeys.live(userId))
                .ifNoItem().after(subscription.overdue()).failWith(() ->
                        new IllegalStateException("The live events of a user could not be subscribed to in time"));
    }

    /** One connection of the user less here; with the last one, this replica stops hearing their events. */
    public void stopListening(String userId) {
        subscription.leave(NotificationKeys.live(userId));
    }

    void start(@Observes StartupEvent ignored) {
        subscription.start(new LiveSubscription.Listener() {
            @Override
            public void subscribed() {
                if (renewal) {
                    catchUp();
                }
                renewal = true;
            }

            @Override
            public void unsubscribed() {
            }

            @Override
            public void message(String source, String payload) {
                if (source.startsWith(NotificationKeys.LIVE_PREFIX) || broadcastChannel.equals(source)) {
                    received.increment();
                    deliver(payload);
                }
            }
        });
    }

    /**
     * The subscription is live again after it was lost: what was published while it was away reached no socket here.
     * Every connection that has a position (the last event it was sent) gets the kept events after it, as a resuming
     * socket does; its live events wait meanwhile, and none is sent twice. Called once the renewed subscription's
     * heartbeat is back, so every channel of its SUBSCRIBE is in place: what the read misses arrives live. A
     * connection whose history cannot be read is closed (1011) and resumes by itself.
     */
    private void catchUp() {
        connections.forEach((userId, delivery) -> delivery.catchUp().ifPresent(since -> replay.after(userId, since, delivery)
                .subscribe().with(ok -> { }, failure -> {
                    LOG.debugf("Could not catch up %s after the subscription was renewed: %s", delivery.connection().id(), failure);
                    delivery.connection().close(NotificationSocket.HISTORY_UNAVAILABLE).subscribe().with(closed -> { }, ignored -> { });
                })));
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
