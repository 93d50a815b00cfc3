package dev.clones.media.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.UUID;

/**
 * Brings every event published on the notification channel to this replica's open connections of its user.
 *
 * <p>One dedicated Redis connection subscribes to the channel and to a heartbeat channel private to this
 * replica. Redis does not keep subscriptions across its restarts, and a half-open connection can stay silent:
 * so the replica publishes a heartbeat to itself and renews the subscription (new connection, with backoff)
 * when the connection closes, fails or stops echoing.
 */
@ApplicationScoped
public class NotificationFeed {

    private static final Logger LOG = Logger.getLogger(NotificationFeed.class);
    private static final long FIRST_RETRY_MS = 100;
    private static final long LAST_RETRY_MS = 2_000;

    private final Redis redis;
    private final ReactiveRedisDataSource commands;
    private final Vertx vertx;
    private final NotificationConnections connections;
    private final ObjectMapper json;
    private final String channel;
    private final String heartbeatChannel;
    private final long heartbeatMillis;

    private RedisConnection connection;
    private volatile long lastEcho;
    private long retryMillis = FIRST_RETRY_MS;
    private long heartbeatTimer = -1;
    private volatile boolean stopped;

    public NotificationFeed(Redis redis, ReactiveRedisDataSource commands, Vertx vertx, NotificationConnections connections,
                            ObjectMapper json, NotificationsConfig config) {
        this.redis = redis;
        this.commands = commands;
        this.vertx = vertx;
        this.connections = connections;
        this.json = json;
        this.channel = config.channel();
        this.heartbeatChannel = config.channel() + ".heartbeat." + UUID.randomUUID();
        this.heartbeatMillis = config.heartbeatInterval().toMillis();
    }

    void start(@Observes StartupEvent ignored) {
        heartbeatTimer = vertx.setPeriodic(heartbeatMillis, id -> heartbeat());
        connect();
    }

    synchronized void stop(@Observes ShutdownEvent ignored) {
        stopped = true;
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        if (connection != null) {
            connection.close().subscribe().with(ok -> { }, failure -> { });
            connection = null;
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        redis.connect().subscribe().with(this::subscribe, failure -> {
            LOG.warnf("Cannot subscribe to notifications (%s); retrying", failure.toString());
            retryLater();
        });
    }

    private void subscribe(RedisConnection opened) {
        synchronized (this) {
            if (stopped) {
                opened.close().subscribe().with(ok -> { }, failure -> { });
                return;
            }
            connection = opened;
            lastEcho = System.nanoTime();
        }
        opened.handler(message -> onMessage(opened, message));
        opened.exceptionHandler(failure -> lost(opened, "failed: " + failure));
        opened.endHandler(() -> lost(opened, "was closed"));
        opened.send(Request.cmd(Command.SUBSCRIBE).arg(channel).arg(heartbeatChannel))
                .subscribe().with(ok -> {
                    synchronized (this) {
                        retryMillis = FIRST_RETRY_MS;
                    }
                    LOG.infof("Subscribed to %s", channel);
                }, failure -> lost(opened, "could not subscribe: " + failure));
    }

    private void onMessage(RedisConnection from, Response message) {
        if (message == null || message.type() != ResponseType.PUSH && message.type() != ResponseType.MULTI || message.size() < 3
                || !"message".equals(message.get(0).toString())) {
            return;
        }
        String source = message.get(1).toString();
        if (heartbeatChannel.equals(source)) {
            if (from == connection) {
                lastEcho = System.nanoTime();
            }
            return;
        }
        if (channel.equals(source)) {
            deliver(message.get(2).toString());
        }
    }

    /** {@code {"userId": "...", "event": {...}}}: the event goes, as it is, to the user's connections here. */
    private void deliver(String payload) {
        try {
            JsonNode envelope = json.readTree(payload);
            JsonNode userId = envelope.get("userId");
            JsonNode event = envelope.get("event");
            if (userId == null || event == null || !event.isObject()) {
                LOG.debugf("Ignoring a malformed notification: %s", payload);
                return;
            }
            connections.deliver(userId.asText(), json.writeValueAsString(event));
        } catch (Exception e) {
            LOG.debugf("Ignoring an unreadable notification (%s): %s", e.getMessage(), payload);
        }
    }

    private void lost(RedisConnection gone, String why) {
        synchronized (this) {
            if (gone != connection) {
                return;
            }
            connection = null;
        }
        LOG.warnf("Notification subscription %s; renewing it", why);
        // A subscribed connection is never handed back to the pool: closing it closes the socket.
        gone.close().subscribe().with(ok -> { }, failure -> { });
        retryLater();
    }

    private synchronized void retryLater() {
        if (stopped) {
            return;
        }
        long delay = retryMillis;
        retryMillis = Math.min(retryMillis * 2, LAST_RETRY_MS);
        vertx.setTimer(delay, id -> connect());
    }

    private void heartbeat() {
        RedisConnection current;
        synchronized (this) {
            current = connection;
        }
        if (current == null) {
            return;
        }
        if (System.nanoTime() - lastEcho > heartbeatMillis * 3_000_000L) {
            lost(current, "stopped echoing heartbeats");
            return;
        }
        commands.pubsub(String.class).publish(heartbeatChannel, "beat").subscribe().with(ok -> { },
                failure -> LOG.debugf("Could not publish a notification heartbeat: %s", failure));
    }
}
