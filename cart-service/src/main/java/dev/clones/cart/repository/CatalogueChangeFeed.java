package dev.clones.cart.repository;

import dev.clones.cart.config.CartConfig;
import dev.clones.common.config.ClonesConfig;
import io.quarkus.runtime.ShutdownEvent;
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
 * The pub/sub subscription that keeps a replica's in-memory catalogue honest.
 *
 * <p>One dedicated Redis connection subscribes to three channels: product changes, acknowledgements
 * of changes, and a heartbeat channel private to this replica. The subscription counts as live only
 * once this replica has heard its own heartbeat through it, which proves that Redis delivers to it
 * (all three channels are subscribed by one SUBSCRIBE, so the heartbeat cannot arrive before the
 * others are in place), and only as long as heartbeats keep arriving. A closed or silent connection
 * makes it not live at once; the listener is told, so that nothing cached before is used again, and
 * the feed reconnects by itself with a backoff.
 */
@ApplicationScoped
public class CatalogueChangeFeed {

    /** Told about the subscription's life and what arrives through it; called on a Vert.x event loop. */
    public interface Listener {
        /** Live (again): anything cached before may have missed changes. Called before {@link #isLive()} turns true. */
        void subscribed();

        /** Lost: called after {@link #isLive()} turned false. */
        void unsubscribed();

        void productChanged(String changeId, String sku);

        /** A replica (this one included) has dropped its copy for this change. */
        void changeApplied(String changeId);
    }

    private static final Logger LOG = Logger.getLogger(CatalogueChangeFeed.class);
    private static final long FIRST_RETRY_MS = 100;
    private static final long LAST_RETRY_MS = 2_000;

    private final Redis redis;
    private final Vertx vertx;
    private final CatalogueRepository catalogue;
    private final String changesChannel;
    private final String appliedChannel;
    private final String heartbeatChannel;
    private final long heartbeatMillis;
    private final long overdueNanos;

    private Listener listener;
    private RedisConnection connection;
    private long connectedAt;
    private volatile boolean live;
    private volatile long lastEcho;
    private long retryMillis = FIRST_RETRY_MS;
    private long heartbeatTimer = -1;
    private volatile boolean stopped;

    public CatalogueChangeFeed(Redis redis, Vertx vertx, CatalogueRepository catalogue, CartConfig config, ClonesConfig clones) {
        this.redis = redis;
        this.vertx = vertx;
        this.catalogue = catalogue;
        this.changesChannel = config.catalogue().changesChannel();
        this.appliedChannel = changesChannel + ".applied";
        this.heartbeatChannel = changesChannel + ".heartbeat." + UUID.randomUUID();
        this.heartbeatMillis = config.catalogue().heartbeatInterval().toMillis();
        this.overdueNanos = config.catalogue().heartbeatInterval().multipliedBy(2)
                .plus(clones.redis().callTimeout()).toNanos();
    }

    public String changesChannel() {
        return changesChannel;
    }

    public synchronized void start(Listener listener) {
        this.listener = listener;
        heartbeatTimer = vertx.setPeriodic(heartbeatMillis, id -> heartbeat());
        connect();
    }

    /** True while every change published in Redis is known to reach this replica. */
    public boolean isLive() {
        return live && System.nanoTime() - lastEcho <= overdueNanos;
    }

    void stop(@Observes ShutdownEvent event) {
        RedisConnection open;
        synchronized (this) {
            stopped = true;
            live = false;
            if (heartbeatTimer >= 0) {
                vertx.cancelTimer(heartbeatTimer);
            }
            open = connection;
            connection = null;
        }
        if (open != null) {
            open.close().subscribe().with(ignored -> { }, ignored -> { });
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        redis.connect().subscribe().with(this::subscribe, failure -> {
            // Said once per outage, not on every retry.
            LOG.logf(firstRetry() ? Logger.Level.WARN : Logger.Level.DEBUG,
                    "Cannot open the catalogue subscription (%s); reading the catalogue from Redis meanwhile", failure);
            retryLater();
        });
    }

    private void subscribe(RedisConnection opened) {
        synchronized (this) {
            if (stopped) {
                opened.close().subscribe().with(ignored -> { }, ignored -> { });
                return;
            }
            connection = opened;
            connectedAt = System.nanoTime();
        }
        opened.handler(message -> onMessage(opened, message));
        opened.exceptionHandler(failure -> lost(opened, "failed: " + failure));
        opened.endHandler(() -> lost(opened, "was closed"));
        opened.send(Request.cmd(Command.SUBSCRIBE).arg(changesChannel).arg(appliedChannel).arg(heartbeatChannel))
                .subscribe().with(ignored -> publishHeartbeat(), failure -> lost(opened, "could not subscribe: " + failure));
    }

    private void onMessage(RedisConnection from, Response message) {
        if (message == null) {
            return;
        }
        if (message.type() == ResponseType.ERROR) {
            lost(from, "was refused by Redis: " + message);
            return;
        }
        if (message.type() != ResponseType.PUSH && message.type() != ResponseType.MULTI || message.size() < 3) {
            return;
        }
        String kind = message.get(0).toString();
        String channel = message.get(1).toString();
        if ("subscribe".equals(kind) && heartbeatChannel.equals(channel)) {
            publishHeartbeat();
            return;
        }
        if (!"message".equals(kind)) {
            return;
        }
        String payload = message.get(2).toString();
        if (heartbeatChannel.equals(channel)) {
            echoed(from);
        } else if (changesChannel.equals(channel)) {
            int space = payload.indexOf(' ');
            String changeId = space < 0 ? payload : payload.substring(0, space);
            listener.productChanged(changeId, space < 0 ? "*" : payload.substring(space + 1));
            // Acknowledged only after the copy is dropped: the admin's request waits for these.
            catalogue.publish(appliedChannel, changeId).subscribe().with(ignored -> { },
                    failure -> LOG.debugf("Could not acknowledge catalogue change %s: %s", changeId, failure));
        } else if (appliedChannel.equals(channel)) {
            listener.changeApplied(payload);
        }
    }

    private void echoed(RedisConnection from) {
        boolean becameLive = false;
        synchronized (this) {
            if (from != connection) {
                return;
            }
            lastEcho = System.nanoTime();
            if (!live) {
                listener.subscribed();
                live = true;
                becameLive = true;
                retryMillis = FIRST_RETRY_MS;
            }
        }
        if (becameLive) {
            LOG.info("Catalogue subscription is live: serving the catalogue from memory");
        }
    }

    private void lost(RedisConnection gone, String why) {
        synchronized (this) {
            if (gone != connection) {
                return;
            }
            connection = null;
            live = false;
            listener.unsubscribed();
        }
        LOG.warnf("Catalogue subscription %s; reading the catalogue from Redis until it is live again", why);
        // A subscribed connection is never handed back to the pool: closing it closes the socket.
        gone.close().subscribe().with(ignored -> { }, ignored -> { });
        retryLater();
    }

    private synchronized boolean firstRetry() {
        return retryMillis == FIRST_RETRY_MS;
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
        boolean overdue;
        synchronized (this) {
            current = connection;
            if (current == null) {
                return;
            }
            overdue = System.nanoTime() - (live ? lastEcho : connectedAt) > overdueNanos;
        }
        if (overdue) {
            lost(current, "has not echoed a heartbeat in time");
            return;
        }
        publishHeartbeat();
    }

    private void publishHeartbeat() {
        catalogue.publish(heartbeatChannel, "beat").subscribe().with(ignored -> { },
                failure -> LOG.debugf("Could not publish a catalogue heartbeat: %s", failure));
    }
}
