package dev.clones.common.nearcache;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.config.ReplicaIdentity;
import dev.clones.common.pubsub.Acknowledgements;
import dev.clones.common.pubsub.LiveSubscription;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Keeps every {@link NearCache} of this replica honest with Redis's server-assisted client-side
 * caching: one dedicated RESP3 connection turns on {@code CLIENT TRACKING ... BCAST} for the caches'
 * key prefixes, so Redis pushes an {@code invalidate} to it for every change of such a key, by anyone,
 * and subscribes (same connection, so in order with those pushes) to the barrier channel and to a
 * heartbeat inbox ({@link LiveSubscription}). Caches are dropped whole when that connection is lost or
 * renewed, and on a flush.
 *
 * <p>Caches are used only while two things hold: the subscription is live (its last echoed heartbeat
 * was sent less than {@link LiveSubscription#overdue()} ago), and this replica holds a lease in Redis
 * (the lease set; the local end of a lease is counted from before the request that granted it, so it
 * is never later than Redis's).
 *
 * <p>What a change through this replica relies on, once {@link #barrier()} answered. The barrier is
 * published after the change, in the same script that reads the lease holders. Every replica that can
 * serve from memory afterwards held a lease then, so it was waited for; it either confirmed the
 * barrier, which Redis delivered after the change's invalidations on the same connection, so it had
 * dropped the changed key; or it did not within {@code overdue}, and then its last echoed heartbeat
 * was sent before the change and it is not live any more, until a heartbeat sent later comes back,
 * behind the invalidation. Either way no replica serves the old value from memory once the changing
 * call answered. The cost: a barrier waits up to {@code overdue} (2 s by default) for a replica that
 * died while holding a lease, until its lease runs out.
 */
@Singleton
public class NearCacheFeed {

    private static final Logger LOG = Logger.getLogger(NearCacheFeed.class);
    private static final String ACK = "ack ";
    private static final String LEASES = "near-cache:leases";
    /** Redis's clock may step this much without a barrier missing a lease holder. */
    private static final Duration CLOCK_MARGIN = Duration.ofSeconds(1);
    private static final RedisScript LEASE = RedisScript.fromResource("lua/near-cache-lease.lua");
    private static final RedisScript BARRIER = RedisScript.fromResource("lua/near-cache-barrier.lua");

    private final ReactiveRedisDataSource commands;
    private final Vertx vertx;
    private final ClonesConfig.NearCache config;
    private final RedisCalls calls;
    private final String barrierChannel;
    private final String connectionName;
    private final LiveSubscription subscription;
    private final Acknowledgements acknowledgements = new Acknowledgements();
    private final List<NearCache<?>> caches = new CopyOnWriteArrayList<>();
    /**
     * False on a Redis Cluster: each node tracks and invalidates only the keys of its own slots, and this feed follows
     * one connection, so it would miss changes made on the other nodes. There the feed does not run at all: no
     * replica takes a lease, so a barrier waits for nobody, and every read goes to Redis.
     */
    private final boolean followsEveryChange;
    private volatile boolean started;
    private volatile boolean leased;
    private volatile long leaseEnd;
    private long leaseTimer = -1;

    public NearCacheFeed(Redis redis, ReactiveRedisDataSource commands, Vertx vertx, ClonesConfig clones, ReplicaIdentity identity) {
        this.followsEveryChange = !clones.redis().cluster();
        this.commands = commands;
        this.vertx = vertx;
        this.config = clones.nearCache();
        this.calls = new RedisCalls(clones.redis());
        this.barrierChannel = config.channel();
        this.connectionName = "near-cache:" + identity.servedBy().replaceAll("\\s", "_");
        this.subscription = new LiveSubscription("near-cache invalidation subscription", redis, vertx,
                List.of(barrierChannel), barrierChannel, config.heartbeatInterval(),
                config.heartbeatInterval().multipliedBy(4), this::track);
    }

    /**
     * A cache of the Redis keys starting with {@code keyPrefix} (which must not overlap another's).
     * A cache made after start renews the connection, so that Redis tracks the new prefix too.
     */
    public synchronized <V> NearCache<V> cache(String keyPrefix) {
        for (NearCache<?> cache : caches) {
            if (cache.keyPrefix().startsWith(keyPrefix) || keyPrefix.startsWith(cache.keyPrefix())) {
                throw new IllegalArgumentException("Near-cache prefix " + keyPrefix + " overlaps " + cache.keyPrefix());
            }
        }
        NearCache<V> cache = new NearCache<>(keyPrefix, config.maxEntries(), this::usable);
        caches.add(cache);
        if (started) {
            subscription.renew("must track " + keyPrefix + " too");
        }
        return cache;
    }

    /** True while the caches may be used (see the class comment). */
    public boolean usable() {
        return followsEveryChange && config.enabled() && leased && System.nanoTime() - leaseEnd < 0 && subscription.isLive();
    }

    /**
     * Answers once no replica serves from memory a key this replica changed before calling it (see the
     * class comment). Call it after the change, before answering the request that made it.
     */
    public Uni<Void> barrier() {
        String id = acknowledgements.open();
        Duration bound = subscription.overdue();
        return calls.bounded(BARRIER.run(commands, List.of(LEASES),
                        List.of(barrierChannel, id + " " + subscription.inbox(), Long.toString(CLOCK_MARGIN.toMillis()))))
                .flatMap(holders -> {
                    Set<String> wanted = new HashSet<>();
                    holders.forEach(holder -> wanted.add(holder.toString()));
                    return acknowledgements.await(id, wanted, bound);
                })
                .invoke(outcome -> {
                    if (outcome instanceof Acknowledgements.Outcome.TimedOut late) {
                        LOG.warnf("Only %d of %d lease holders confirmed a near-cache barrier within %s; the others are not using"
                                + " their caches", late.confirmed(), late.receivers(), bound);
                    }
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    // Unpublished, nobody can confirm: waiting out the bound proves the same.
                    acknowledgements.abandon(id);
                    LOG.warnf("Could not publish a near-cache barrier (%s); waiting %s instead", failure, bound);
                    return Uni.createFrom().voidItem().onItem().delayIt().by(bound);
                });
    }

    void start(@Observes StartupEvent event) {
        if (!followsEveryChange) {
            LOG.info("Near caches are off on a Redis Cluster: its nodes each report only their own keys' changes");
            return;
        }
        synchronized (this) {
            started = true;
        }
        renewLease();
        long every = Math.max(100, config.lease().toMillis() / 3);
        leaseTimer = vertx.setPeriodic(every, id -> renewLease());
        subscription.start(new LiveSubscription.Listener() {
            @Override
            public void subscribed() {
                dropAll();
            }

            @Override
            public void unsubscribed() {
                dropAll();
            }

            @Override
            public void message(String channel, String payload) {
                if (barrierChannel.equals(channel)) {
                    confirmBarrier(payload);
                } else if (payload.startsWith(ACK)) {
                    String[] ack = payload.split(" ");
                    if (ack.length == 3) {
                        acknowledgements.confirm(ack[1], ack[2]);
                    }
                }
            }

            @Override
            public void push(Response push) {
                if ("invalidate".equals(push.get(0).toString())) {
                    invalidated(push.get(1));
                }
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (!started) {
            return;
        }
        if (leaseTimer >= 0) {
            vertx.cancelTimer(leaseTimer);
        }
        leased = false;
        subscription.stop();
        // Others need not wait for this replica's confirmations any more.
        calls.bounded(commands.sortedSet(String.class).zrem(LEASES, subscription.inbox()))
                .subscribe().with(ignored -> { }, failure -> LOG.debugf("Could not return the near-cache lease: %s", failure));
    }

    private void renewLease() {
        long sentAt = System.nanoTime();
        calls.bounded(LEASE.run(commands, List.of(LEASES), List.of(subscription.inbox(), Long.toString(config.lease().toMillis()))))
                .subscribe().with(granted -> {
                    boolean held = leased && System.nanoTime() - leaseEnd < 0;
                    if (!held) {
                        // Barriers did not wait for this replica while it held no lease: start afresh.
                        dropAll();
                    }
                    leaseEnd = sentAt + TimeUnit.MILLISECONDS.toNanos(config.lease().toMillis());
                    leased = true;
                }, failure -> LOG.debugf("Could not renew the near-cache lease: %s", failure));
    }

    /** {@code HELLO 3} (pushes need RESP3), a name for CLIENT LIST, then tracking of every cache's prefix, before SUBSCRIBE. */
    private Uni<Void> track(RedisConnection connection) {
        Request tracking = Request.cmd(Command.CLIENT).arg("TRACKING").arg("ON").arg("BCAST");
        for (NearCache<?> cache : caches) {
            tracking.arg("PREFIX").arg(cache.keyPrefix());
        }
        return connection.send(Request.cmd(Command.HELLO).arg("3").arg("SETNAME").arg(connectionName))
                .flatMap(hello -> caches.isEmpty() ? Uni.createFrom().nullItem() : connection.send(tracking))
                .replaceWithVoid();
    }

    /** {@code <id> <inbox>}: everything Redis delivered before it has been handled, so confirm. */
    private void confirmBarrier(String payload) {
        int space = payload.indexOf(' ');
        if (space <= 0) {
            return;
        }
        String id = payload.substring(0, space);
        subscription.publish(payload.substring(space + 1), ACK + id + " " + subscription.inbox()).subscribe().with(ignored -> { },
                failure -> LOG.debugf("Could not confirm near-cache barrier %s: %s", id, failure));
    }

    /** Keys that changed, or null: everything (FLUSHDB, FLUSHALL). */
    private void invalidated(Response keys) {
        if (keys == null) {
            dropAll();
            return;
        }
        for (Response key : keys) {
            String name = key.toString();
            for (NearCache<?> cache : caches) {
                if (name.startsWith(cache.keyPrefix())) {
                    cache.invalidate(name);
                }
            }
        }
    }

    private void dropAll() {
        caches.forEach(NearCache::invalidateAll);
    }
}
