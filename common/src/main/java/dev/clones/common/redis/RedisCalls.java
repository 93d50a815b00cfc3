package dev.clones.common.redis;

import dev.clones.common.config.ClonesConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;
import java.util.List;

/**
 * Puts the upper bound of {@code clones.redis.call-timeout} on Redis round trips, so that a Redis which stops
 * answering fails the request instead of hanging, and makes the writes whose success a user is told wait for
 * {@code clones.redis.write-replicas} replicas.
 *
 * <p>A call without a reply in time fails with Mutiny's {@link io.smallrye.mutiny.TimeoutException}, and a write
 * that too few replicas confirmed with {@link WriteNotReplicated}; {@link dev.clones.common.error.BackingServiceFailures}
 * counts both as an outage: a 503 the client may retry on any replica. Everything else passes through untouched, so
 * a Redis error reply (a script bug, WRONGTYPE) stays a 500.
 */
public final class RedisCalls {

    /** The channel of the marker that orders a confirmation after everything the primary had; nobody subscribes. */
    static final String REPLICATION_MARKER = "clones:replication-marker";

    private final Duration callTimeout;
    private final int writeReplicas;
    private final Duration replicaTimeout;
    private final boolean cluster;

    public RedisCalls(ClonesConfig.Redis config) {
        this.cluster = config.cluster();
        this.callTimeout = config.callTimeout();
        this.writeReplicas = config.writeReplicas();
        this.replicaTimeout = config.replicaTimeout();
        if (writeReplicas < 0) {
            throw new IllegalArgumentException("clones.redis.write-replicas must be 0 or more, not " + writeReplicas);
        }
        // WAIT with a timeout of 0 waits for ever: never what a request should do.
        if (writeReplicas > 0 && replicaTimeout.toMillis() <= 0) {
            throw new IllegalArgumentException("clones.redis.replica-timeout must be at least 1 ms, not " + replicaTimeout);
        }
    }

    /** The same call, failing with a timeout when Redis has not answered within the call timeout. */
    public <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(callTimeout).fail();
    }

    /**
     * Runs a script whose success the user is told of, and answers its reply once {@code write-replicas} replicas
     * have confirmed it (fails with {@link WriteNotReplicated} otherwise). With none required it is exactly
     * {@code bounded(script.run(...))}: no extra round trip on a single Redis.
     */
    public Uni<Response> confirmed(RedisScript script, ReactiveRedisDataSource redis, List<String> keys, List<String> args) {
        if (writeReplicas == 0) {
            return bounded(script.run(redis, keys, args));
        }
        String slotOf = keys.isEmpty() ? null : keys.getFirst();
        return bounded(script.send((command, arguments) -> confirm(redis, RedisScript.request(command, arguments), slotOf), keys, args));
    }

    /** The same for one plain write command that is not a script (e.g. {@code HSET}): its reply once confirmed. */
    public Uni<Response> confirmed(ReactiveRedisDataSource redis, Command command, String... arguments) {
        if (writeReplicas == 0) {
            return bounded(redis.execute(command, arguments));
        }
        return bounded(Uni.createFrom().deferred(() -> confirm(redis, RedisScript.request(command, arguments), arguments[0])));
    }

    /**
     * A read whose answer the user acts on (a cart, with the version a conditional write names), answered only once
     * everything the primary held when it read is on {@code write-replicas} replicas; fails with
     * {@link ReadNotConfirmed} otherwise. Without it a client could see a change that a request answered 503 (made,
     * not confirmed) and then lose it in a failover, or name a version that a failover hands out again. The marker
     * and {@code WAIT} follow the read's answer, so the marker comes after every write the read saw, whichever
     * connection made it. With none required it is exactly {@code bounded(read)}. {@code key} is the key read: on a
     * Redis Cluster the confirmation must go to the primary that holds it.
     */
    public <T> Uni<T> confirmedRead(ReactiveRedisDataSource redis, String key, Uni<T> read) {
        if (writeReplicas == 0) {
            return bounded(read);
        }
        return bounded(read.flatMap(value -> redis.getRedis().batch(List.of(marker(key), waitForReplicas())).map(replies -> {
            long confirmed = replies.get(1).toLong();
            if (confirmed < writeReplicas) {
                throw new ReadNotConfirmed(confirmed, writeReplicas, replicaTimeout);
            }
            return value;
        })));
    }

    /**
     * A write that Redis replicates and that changes nothing anyone reads, sent on the connection of the key's
     * primary. A single Redis or Sentinel replicates a {@code PUBLISH}, so nothing is stored. A Redis Cluster sends a
     * {@code PUBLISH} over its bus instead of the replication stream, so there it is a short-lived key in the key's
     * slot (Vert.x sends the whole batch to the node of its keys).
     */
    private Request marker(String key) {
        if (!cluster || key == null) {
            return Request.cmd(Command.PUBLISH).arg(REPLICATION_MARKER).arg("");
        }
        return Request.cmd(Command.SET).arg(ClusterSlots.keyInSlotOf(REPLICATION_MARKER, key)).arg("").arg("PX").arg(1000);
    }

    private Request waitForReplicas() {
        return Request.cmd(Command.WAIT).arg(writeReplicas).arg(replicaTimeout.toMillis());
    }

    /**
     * The write, a marker and then {@code WAIT} in one batch, which Vert.x sends on one connection: WAIT counts the
     * replicas that have this connection's last write, so it must follow on the same one. The marker (a
     * {@code PUBLISH} nobody listens to, which Redis still replicates) makes that last write come after everything
     * the primary had: a script that wrote nothing (a replayed checkout finding the order an unconfirmed request
     * made, on another connection) is confirmed only once that order is on a replica too. Without it WAIT may count
     * replicas that have only this connection's older writes (seen on Redis 7.0 with a connection that had not
     * written yet). An error reply to the write (NOSCRIPT, a script's error) fails the batch, and Redis then answers
     * WAIT at once or after its timeout; both within the call timeout.
     */
    private Uni<Response> confirm(ReactiveRedisDataSource redis, Request write, String key) {
        return redis.getRedis().batch(List.of(write, marker(key), waitForReplicas())).map(replies -> {
            long confirmed = replies.get(2).toLong();
            if (confirmed < writeReplicas) {
                throw new WriteNotReplicated(confirmed, writeReplicas, replicaTimeout);
            }
            return replies.get(0);
        });
    }
}
