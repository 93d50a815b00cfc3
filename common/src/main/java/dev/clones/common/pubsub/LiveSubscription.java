package dev.clones.common.pubsub;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * A Redis subscription on a dedicated connection that knows whether it is live, for anything a
 * replica may keep in memory only while every change published in Redis reaches it.
 *
 * <p>The connection subscribes to the given channels and to an inbox private to this replica, all
 * in one SUBSCRIBE, so nothing can reach the inbox before the other channels are in place. The
 * replica publishes heartbeats to its inbox, each carrying the moment it was sent. The subscription
 * is live once a heartbeat came back through it, and stays live only while the last heartbeat that
 * came back was sent less than {@code overdue} ago. That gives a bound a caller can prove things with:
 * whatever Redis delivered to this connection before a heartbeat sent at time t has been handled
 * once that heartbeat is back, so a replica that has not handled a message published at time T is
 * not live from {@code T + overdue} on. A closed, failed or silent connection makes it not live at
 * once; the listener is told, so that nothing kept from before is used again, and it reconnects by
 * itself with a backoff.
 *
 * <p>Besides its fixed channels, a subscription can {@link #join} channels while it runs (a channel per user,
 * heard only while someone here wants it): each join is counted, the first sends SUBSCRIBE and the last
 * {@link #leave} UNSUBSCRIBE, and every renewed connection subscribes to the joined channels again in its one
 * SUBSCRIBE. A join completes once Redis confirmed the channel on the current connection, so whatever is published
 * on it from then on reaches this replica while the subscription stays live.
 *
 * <p>Only pub/sub commands are sent on the dedicated connection once it is subscribed: a reply
 * awaited there could be taken by a push message that arrives first. Heartbeats and anything
 * else the listener publishes go through the pooled client.
 */
public final class LiveSubscription {

    /** Told about the subscription's life and what arrives through it; called on a Vert.x event loop. */
    public interface Listener {
        /** Live (again): anything kept before may have missed changes. Called before {@link #isLive()} turns true. */
        void subscribed();

        /** Lost: called after {@link #isLive()} turned false. */
        void unsubscribed();

        /** A message on one of the channels, or on the inbox other than a heartbeat. */
        void message(String channel, String payload);

        /** A push that is not a pub/sub message (an {@code invalidate} of client tracking, say). */
        default void push(Response push) {
        }
    }

    private static final Logger LOG = Logger.getLogger(LiveSubscription.class);
    private static final long FIRST_RETRY_MS = 100;
    private static final long LAST_RETRY_MS = 2_000;
    private static final String BEAT = "beat ";

    /**
     * A channel joined at run time. {@code unconfirmed} counts the SUBSCRIBEs naming it that were sent on the current
     * connection and whose confirmation has not come back: Redis confirms each in order, so the channel is subscribed
     * for sure once it is back to 0 with no UNSUBSCRIBE sent since (an UNSUBSCRIBE then SUBSCRIBE in flight must not
     * be taken as confirmed by the confirmation of an earlier SUBSCRIBE). An entry stays while it has members or
     * confirmations in flight, so that a late confirmation is never counted against a later join.
     */
    private static final class Joined {
        int members;
        int unconfirmed;
        boolean subscribed;
        final List<UniEmitter<? super Void>> waiting = new ArrayList<>();
    }

    private final String name;
    private final Redis redis;
    private final Vertx vertx;
    private final List<String> channels;
    private final String inbox;
    private final long heartbeatMillis;
    private final long overdueNanos;
    private final Function<RedisConnection, Uni<Void>> prepare;

    /** The channels joined at run time, by name; guarded by this. */
    private final Map<String, Joined> joined = new HashMap<>();

    private Listener listener;
    private RedisConnection connection;
    private long connectedAt;
    private volatile boolean live;
    private volatile long lastEchoSentAt;
    private long retryMillis = FIRST_RETRY_MS;
    private long heartbeatTimer = -1;
    private boolean started;
    private volatile boolean stopped;

    /**
     * @param name       what the logs call it ("catalogue subscription")
     * @param channels   the channels to subscribe to
     * @param inboxStem  the private inbox is {@code inboxStem + ".inbox." + a random id}
     * @param heartbeat  how often a heartbeat is sent
     * @param overdue    how old the last echoed heartbeat may be while the subscription counts as live
     * @param prepare    commands sent on the dedicated connection before SUBSCRIBE (awaited one by one)
     */
    public LiveSubscription(String name, Redis redis, Vertx vertx, List<String> channels, String inboxStem,
                            Duration heartbeat, Duration overdue, Function<RedisConnection, Uni<Void>> prepare) {
        if (overdue.compareTo(heartbeat) <= 0) {
            throw new IllegalArgumentException(name + ": overdue (" + overdue + ") must be longer than the heartbeat (" + heartbeat + ")");
        }
        this.name = name;
        this.redis = redis;
        this.vertx = vertx;
        this.channels = List.copyOf(channels);
        this.inbox = inboxStem + ".inbox." + UUID.randomUUID();
        this.heartbeatMillis = heartbeat.toMillis();
        this.overdueNanos = overdue.toNanos();
        this.prepare = prepare;
    }

    public LiveSubscription(String name, Redis redis, Vertx vertx, List<String> channels, String inboxStem,
                            Duration heartbeat, Duration overdue) {
        this(name, redis, vertx, channels, inboxStem, heartbeat, overdue, connection -> Uni.createFrom().voidItem());
    }

    /** This replica's private channel: others can answer it here (see {@link Listener#message}). */
    public String inbox() {
        return inbox;
    }

    /** The longest a subscription counts as live without a heartbeat coming back. */
    public Duration overdue() {
        return Duration.ofNanos(overdueNanos);
    }

    public synchronized void start(Listener listener) {
        if (started) {
            throw new IllegalStateException(name + " is started already");
        }
        started = true;
        this.listener = listener;
        heartbeatTimer = vertx.setPeriodic(heartbeatMillis, id -> heartbeat());
        connect();
    }

    /** True while every message published in Redis is known to reach this replica within {@link #overdue()}. */
    public boolean isLive() {
        return live && System.nanoTime() - lastEchoSentAt <= overdueNanos;
    }

    /** Closes the connection and opens a new one: for a caller whose {@code prepare} commands changed. */
    public void renew(String why) {
        RedisConnection current;
        synchronized (this) {
            current = connection;
        }
        if (current != null) {
            lost(current, why);
        }
    }

    /** Publishes through the pooled client; answers how many subscribers Redis delivered it to. */
    public Uni<Integer> publish(String channel, String message) {
        return redis.send(Request.cmd(Command.PUBLISH).arg(channel).arg(message)).map(Response::toInteger);
    }

    /**
     * Subscribes to {@code channel} as well, until as many {@link #leave}s as joins; kept across renewals. Completes once
     * Redis confirmed the channel on the current connection (at once when it already is): from then on, what is
     * published on it reaches the listener. Pending while there is no connection; the caller bounds the wait.
     */
    public Uni<Void> join(String channel) {
        return Uni.createFrom().emitter(emitter -> {
            boolean subscribedAlready;
            synchronized (this) {
                if (stopped) {
                    emitter.fail(new IllegalStateException("The " + name + " is stopped"));
                    return;
                }
                Joined entry = joined.computeIfAbsent(channel, c -> new Joined());
                entry.members++;
                subscribedAlready = entry.subscribed;
                if (!subscribedAlready) {
                    entry.waiting.add(emitter);
                    if (entry.members == 1 && connection != null) {
                        // Also when an earlier SUBSCRIBE is in flight: an UNSUBSCRIBE may have followed it.
                        sendSubscribe(connection, List.of(channel));
                    }
                }
            }
            if (subscribedAlready) {
                emitter.complete(null); // outside the lock: the caller's next step runs on this thread
            }
        });
    }

    /** One member of {@code channel} less; the last one unsubscribes it. */
    public void leave(String channel) {
        synchronized (this) {
            Joined entry = joined.get(channel);
            if (entry == null || entry.members == 0) {
                return;
            }
            entry.members--;
            if (entry.members > 0) {
                return;
            }
            entry.waiting.forEach(waiting -> waiting.fail(new IllegalStateException("Left " + channel + " before it was subscribed")));
            entry.waiting.clear();
            entry.subscribed = false;
            if (connection != null) {
                connection.send(Request.cmd(Command.UNSUBSCRIBE).arg(channel))
                        .subscribe().with(ignored -> { }, failure -> LOG.debugf("Could not unsubscribe %s: %s", channel, failure));
            }
            if (entry.unconfirmed == 0) {
                joined.remove(channel);
            }
        }
    }

    /** How many channels are joined at run time (for a gauge). */
    public synchronized int joinedChannels() {
        return (int) joined.values().stream().filter(entry -> entry.members > 0).count();
    }

    public void stop() {
        RedisConnection open;
        synchronized (this) {
            stopped = true;
            boolean wasLive = live;
            live = false;
            if (heartbeatTimer >= 0) {
                vertx.cancelTimer(heartbeatTimer);
            }
            open = connection;
            connection = null;
            joined.values().forEach(entry -> entry.waiting.forEach(waiting -> waiting.fail(new IllegalStateException("The " + name + " is stopped"))));
            joined.clear();
            if (wasLive) {
                listener.unsubscribed();
            }
        }
        if (open != null) {
            open.close().subscribe().with(ignored -> { }, ignored -> { });
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        redis.connect()
                .call(opened -> prepare.apply(opened).onFailure().call(failure -> opened.close()))
                .subscribe().with(this::subscribe, failure -> {
                    // Said once per outage, not on every retry.
                    LOG.logf(firstRetry() ? Logger.Level.WARN : Logger.Level.DEBUG, "Cannot open the %s (%s); retrying", name, failure);
                    retryLater();
                });
    }

    private void subscribe(RedisConnection opened) {
        opened.handler(message -> onMessage(opened, message));
        opened.exceptionHandler(failure -> lost(opened, "failed: " + failure));
        opened.endHandler(() -> lost(opened, "was closed"));
        synchronized (this) {
            if (stopped) {
                opened.close().subscribe().with(ignored -> { }, ignored -> { });
                return;
            }
            connection = opened;
            connectedAt = System.nanoTime();
            // Under the lock: a join meanwhile either is in this SUBSCRIBE or sends its own after it.
            List<String> all = new ArrayList<>(channels);
            joined.forEach((channel, entry) -> {
                if (entry.members > 0) {
                    all.add(channel);
                }
            });
            all.add(inbox);
            sendSubscribe(opened, all);
        }
    }

    /** Sends one SUBSCRIBE of {@code names}; the joined ones among them now await one more confirmation. Holds the lock. */
    private void sendSubscribe(RedisConnection on, List<String> names) {
        Request subscribe = Request.cmd(Command.SUBSCRIBE);
        for (String channel : names) {
            subscribe.arg(channel);
            Joined entry = joined.get(channel);
            if (entry != null) {
                entry.unconfirmed++;
            }
        }
        on.send(subscribe).subscribe().with(ignored -> { }, failure -> lost(on, "could not subscribe: " + failure));
    }

    /** Redis confirmed {@code channel} on {@code from}: a join waiting for it is subscribed once nothing is in flight. */
    private void confirmed(RedisConnection from, String channel) {
        List<UniEmitter<? super Void>> ready;
        synchronized (this) {
            Joined entry = joined.get(channel);
            if (from != connection || entry == null || entry.unconfirmed == 0) {
                return;
            }
            entry.unconfirmed--;
            if (entry.unconfirmed > 0) {
                return;
            }
            if (entry.members == 0) {
                joined.remove(channel);
                return;
            }
            entry.subscribed = true;
            ready = List.copyOf(entry.waiting);
            entry.waiting.clear();
        }
        ready.forEach(waiting -> waiting.complete(null));
    }

    /** The connection is gone: no joined channel is subscribed any more; the next connection subscribes them again. Holds the lock. */
    private void forgetSubscribed() {
        joined.values().removeIf(entry -> entry.members == 0);
        joined.values().forEach(entry -> {
            entry.unconfirmed = 0;
            entry.subscribed = false;
        });
    }

    private void onMessage(RedisConnection from, Response message) {
        if (message == null) {
            return;
        }
        if (message.type() == ResponseType.ERROR) {
            lost(from, "was refused by Redis: " + message);
            return;
        }
        if (message.type() != ResponseType.PUSH && message.type() != ResponseType.MULTI || message.size() < 2) {
            return;
        }
        String kind = message.get(0).toString();
        if (message.size() >= 3 && ("subscribe".equals(kind) || "message".equals(kind))) {
            String channel = message.get(1).toString();
            if ("subscribe".equals(kind)) {
                if (inbox.equals(channel)) {
                    publishHeartbeat(); // the last channel of the SUBSCRIBE: all are in place
                } else {
                    confirmed(from, channel);
                }
                return;
            }
            String payload = message.get(2).toString();
            if (inbox.equals(channel) && payload.startsWith(BEAT)) {
                echoed(from, payload);
            } else {
                listener.message(channel, payload);
            }
        } else if (!kind.endsWith("subscribe")) {
            listener.push(message);
        }
    }

    private void echoed(RedisConnection from, String payload) {
        long sentAt;
        try {
            sentAt = Long.parseLong(payload.substring(BEAT.length()));
        } catch (NumberFormatException e) {
            return;
        }
        boolean becameLive = false;
        synchronized (this) {
            if (from != connection) {
                return;
            }
            if (sentAt - lastEchoSentAt > 0 || !live) {
                lastEchoSentAt = sentAt;
            }
            if (!live) {
                listener.subscribed();
                live = true;
                becameLive = true;
                retryMillis = FIRST_RETRY_MS;
            }
        }
        if (becameLive) {
            LOG.infof("The %s is live", name);
        }
    }

    private void lost(RedisConnection gone, String why) {
        synchronized (this) {
            if (gone != connection) {
                return;
            }
            connection = null;
            forgetSubscribed();
            boolean wasLive = live;
            live = false;
            if (wasLive) {
                listener.unsubscribed();
            }
        }
        LOG.warnf("The %s %s; renewing it", name, why);
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
            overdue = System.nanoTime() - (live ? lastEchoSentAt : connectedAt) > overdueNanos;
        }
        if (overdue) {
            lost(current, "has not echoed a heartbeat in time");
            return;
        }
        publishHeartbeat();
    }

    private void publishHeartbeat() {
        publish(inbox, BEAT + System.nanoTime()).subscribe().with(ignored -> { },
                failure -> LOG.debugf("Could not publish a heartbeat of the %s: %s", name, failure));
    }
}
