package dev.clones.common.redis;

import dev.clones.testing.LaggingLink;
import dev.clones.testing.RedisServer;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

import java.time.Duration;
import java.util.function.BiConsumer;

import static org.awaitility.Awaitility.await;

/** What the tests of confirmed Redis calls share: a data source on a Vert.x client, and a primary whose replica lags. */
public final class LaggingReplica {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private LaggingReplica() {
    }

    /** Quarkus's reactive data source on {@code client}, built without Quarkus. */
    public static ReactiveRedisDataSource dataSource(Vertx vertx, Redis client) {
        return new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client));
    }

    /**
     * A primary of its own with a replica 1 s behind it each way (a {@link LaggingLink}), once the primary counts the
     * replica, and a client of one pooled connection to the primary: a replica's acknowledgement then takes longer
     * than any replica timeout of these tests.
     */
    public static void with(Vertx vertx, BiConsumer<RedisServer, ReactiveRedisDataSource> test) {
        try (RedisServer main = RedisServer.start(); RedisServer replica = RedisServer.start();
                LaggingLink link = LaggingLink.to(main.port(), Duration.ofSeconds(1))) {
            replica.command("REPLICAOF", "127.0.0.1", Integer.toString(link.port()));
            awaitFollowing(main, replica);
            Redis pooled = Redis.createClient(vertx, new RedisOptions().setConnectionString(main.uri()).setMaxPoolSize(1));
            try {
                test.accept(main, dataSource(vertx, pooled));
            } finally {
                pooled.close();
            }
        }
    }

    /**
     * Until the replica follows {@code main} and {@code main} counts it for WAIT: the replica's link is up a while
     * before the primary has its first acknowledgement, and until then WAIT counts no replica, even on a connection
     * that wrote nothing.
     */
    public static void awaitFollowing(RedisServer main, RedisServer replica) {
        await().atMost(PATIENCE).until(() -> replica.command("INFO", "replication").contains("master_link_status:up")
                && "1".equals(main.command("WAIT", "1", "100")));
    }
}
