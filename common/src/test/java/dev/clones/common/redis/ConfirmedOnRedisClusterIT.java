package dev.clones.common.redis;

import dev.clones.testing.RedisClusterServer;
import dev.clones.testing.RedisServer;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link RedisCalls}' confirmations on a real Redis Cluster, where {@code PUBLISH} goes over the cluster bus and not
 * into the replication stream, so the marker that orders a confirmation after everything the primary had must be a
 * write in the slot of the key it follows.
 */
class ConfirmedOnRedisClusterIT {

    static final RedisScript INCR = RedisScript.fromResource("lua-test/incr.lua");
    static final Duration PATIENCE = Duration.ofSeconds(30);

    static Vertx vertx;
    static RedisClusterServer cluster;
    static final List<Redis> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        vertx = Vertx.vertx();
        cluster = RedisClusterServer.start();
    }

    @AfterAll
    static void stopCluster() {
        clients.forEach(Redis::close);
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theMarkerOfAKeyLiesInThatKeysSlotWhateverBracesTheKeyHas() {
        RedisServer any = cluster.nodes().getFirst();
        for (String key : List.of("cart:42", "cart:{u:42}", "user-email:a{b}@example.com", "user-email:a}b{@example.com",
                "user-email:{}@example.com", "{", "")) {
            String marker = ClusterSlots.keyInSlotOf(RedisCalls.REPLICATION_MARKER, key);
            assertEquals(any.command("CLUSTER", "KEYSLOT", key), any.command("CLUSTER", "KEYSLOT", marker), key + " and " + marker);
        }
    }

    @Test
    void aReadOfAnUnconfirmedWriteIsConfirmedOnlyOnceTheKeysReplicaHasIt() {
        String key = "confirmed-read:" + UUID.randomUUID();
        ReactiveRedisDataSource writer = dataSource();
        // Another client, whose connections never wrote: without a marker in the key's slot its WAIT would count
        // a replica that lacks the write it read.
        ReactiveRedisDataSource reader = dataSource();
        List<RedisServer> replicas = cluster.nodes().stream().filter(node -> !cluster.primaries().contains(node)).toList();
        replicas.forEach(RedisServer::pause);
        try {
            assertEquals(1, calls(0).confirmed(INCR, writer, List.of(key), List.of()).await().atMost(PATIENCE).toInteger());
            assertThrows(ReadNotConfirmed.class,
                    () -> calls(1).confirmedRead(reader, key, reader.value(String.class).get(key)).await().atMost(PATIENCE));
        } finally {
            replicas.forEach(RedisServer::resume);
        }
        await().atMost(PATIENCE).untilAsserted(() ->
                assertEquals("1", calls(1).confirmedRead(reader, key, reader.value(String.class).get(key)).await().atMost(PATIENCE)));
    }

    @Test
    void aWriteOnAClusterIsConfirmedByTheReplicaOfItsKeysPrimaryAndNoMore() {
        String key = "confirmed-write:" + UUID.randomUUID();
        ReactiveRedisDataSource redis = dataSource();
        assertEquals(1, calls(1).confirmed(INCR, redis, List.of(key), List.of()).await().atMost(PATIENCE).toInteger());
        // Each primary has one replica: two cannot confirm, so the write is made but answered as not confirmed.
        assertThrows(WriteNotReplicated.class, () -> calls(2).confirmed(INCR, redis, List.of(key), List.of()).await().atMost(PATIENCE));
        assertEquals("2", cluster.command("GET", key));
    }

    private static ReactiveRedisDataSource dataSource() {
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
        for (String uri : cluster.uri().split(",")) {
            options.addConnectionString(uri);
        }
        Redis client = Redis.createClient(vertx, options);
        clients.add(client);
        return LaggingReplica.dataSource(vertx, client);
    }

    private static RedisCalls calls(int writeReplicas) {
        return new RedisCalls(RedisSettings.of(writeReplicas, "cluster"));
    }
}
