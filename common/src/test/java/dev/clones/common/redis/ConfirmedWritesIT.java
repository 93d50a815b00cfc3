package dev.clones.common.redis;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.error.BackingServiceFailures;
import dev.clones.testing.RedisServer;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RedisCalls#confirmed} against a real redis-server, with and without a replica: what WAIT and Vert.x
 * batches do is Redis's and Vert.x's behaviour, so it is checked here rather than assumed.
 */
class ConfirmedWritesIT {

    static final RedisScript INCR = RedisScript.fromResource("lua-test/incr.lua");
    static final RedisScript FAIL = RedisScript.fromResource("lua-test/fail.lua");
    static final RedisScript GET = RedisScript.fromResource("lua-test/get.lua");
    /** A bound for a test's own awaits, far above anything a call takes; nothing here is timed. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    static Vertx vertx;
    static RedisServer primary;
    static Redis client;
    static ReactiveRedisDataSource redis;

    @BeforeAll
    static void startRedis() {
        vertx = Vertx.vertx();
        primary = RedisServer.start();
        client = Redis.createClient(vertx, primary.uri());
        redis = LaggingReplica.dataSource(vertx, client);
    }

    @AfterAll
    static void stopRedis() {
        if (client != null) {
            client.close();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    void batchWhoseFirstCommandFailsFailsAsAWholeWithThatError() {
        // What the NOSCRIPT fallback of the confirmed path rests on: an unknown script fails the batch's Uni.
        primary.command("SCRIPT", "FLUSH");
        Request unknown = Request.cmd(Command.EVALSHA).arg("0123456789012345678901234567890123456789").arg(0);
        Throwable failure = assertThrows(Throwable.class,
                () -> client.batch(List.of(unknown, Request.cmd(Command.PING))).await().atMost(PATIENCE));
        // Vert.x puts the failed command's index before Redis's reply: "ERR [0] NOSCRIPT No matching script".
        assertTrue(String.valueOf(failure.getMessage()).contains("NOSCRIPT"), "failed with " + failure);
    }

    @Test
    void withNoReplicaRequiredAWriteIsTheScriptAloneWithoutWait() {
        primary.command("SCRIPT", "FLUSH");
        primary.command("CONFIG", "RESETSTAT");
        String key = key();
        assertEquals(1, calls(0).confirmed(INCR, redis, List.of(key), List.of()).await().atMost(PATIENCE).toInteger());
        assertEquals(2, calls(0).confirmed(redis, Command.INCR, key).await().atMost(PATIENCE).toInteger());
        assertFalse(primary.command("INFO", "commandstats").contains("cmdstat_wait"), "no WAIT sent");
    }

    @Test
    void writeNoReplicaConfirmedIsUnavailableThoughThePrimaryMadeIt() {
        primary.command("SCRIPT", "FLUSH"); // the fallback to the source runs in the batch too
        String key = key();
        WriteNotReplicated failure = assertThrows(WriteNotReplicated.class,
                () -> calls(1).confirmed(INCR, redis, List.of(key), List.of()).await().atMost(PATIENCE));
        assertTrue(failure.getMessage().contains("0 of 1"), failure.getMessage());
        assertTrue(BackingServiceFailures.isUnavailable(failure), "a 503, which the client retries");
        assertEquals("1", primary.command("GET", key), "made on the primary, only not confirmed");

        assertThrows(WriteNotReplicated.class, () -> calls(1).confirmed(redis, Command.INCR, key).await().atMost(PATIENCE));
        assertEquals("2", primary.command("GET", key));
    }

    @Test
    void scriptErrorStaysABugAndIsNotRetriedAsNoScript() {
        Throwable failure = assertThrows(Throwable.class,
                () -> calls(1).confirmed(FAIL, redis, List.of(), List.of()).await().atMost(PATIENCE));
        assertTrue(String.valueOf(failure.getMessage()).contains("BOOM"), "failed with " + failure);
        assertFalse(BackingServiceFailures.isUnavailable(failure), "a script's error reply is a 500");
    }

    @Test
    void primaryRefusingWritesForWantOfReplicasIsUnavailable() {
        primary.command("CONFIG", "SET", "min-replicas-to-write", "1");
        try {
            for (int writeReplicas : new int[] {0, 1}) { // alone, and in a batch with WAIT
                String key = key();
                Throwable failure = assertThrows(Throwable.class,
                        () -> calls(writeReplicas).confirmed(INCR, redis, List.of(key), List.of()).await().atMost(PATIENCE));
                assertTrue(String.valueOf(failure.getMessage()).contains("NOREPLICAS"), "failed with " + failure);
                assertTrue(BackingServiceFailures.isUnavailable(failure), "unavailable: " + failure);
                assertEquals(null, primary.command("GET", key), "refused, so not written");
            }
        } finally {
            primary.command("CONFIG", "SET", "min-replicas-to-write", "0");
        }
    }

    @Test
    void writeAReplicaConfirmedAnswersItsReplyAndIsOnTheReplica() {
        // A pair of its own, so that the other tests' primary never has a replica.
        try (RedisServer main = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            replica.command("REPLICAOF", "127.0.0.1", Integer.toString(main.port()));
            LaggingReplica.awaitFollowing(main, replica);
            Redis mainClient = Redis.createClient(vertx, main.uri());
            try {
                ReactiveRedisDataSource mainRedis = LaggingReplica.dataSource(vertx, mainClient);
                String key = key();
                main.command("SCRIPT", "FLUSH");
                assertEquals(1, calls(1).confirmed(INCR, mainRedis, List.of(key), List.of()).await().atMost(PATIENCE).toInteger());
                // WAIT counted the replica once it had applied the write: it is there now, not eventually.
                assertEquals("1", replica.command("GET", key));
                assertEquals(2, calls(1).confirmed(INCR, mainRedis, List.of(key), List.of()).await().atMost(PATIENCE).toInteger());
                assertEquals(1, calls(1).confirmed(mainRedis, Command.HSET, key + ":h", "f", "v").await().atMost(PATIENCE).toInteger());
                assertEquals("2", replica.command("GET", key));
                assertEquals("v", replica.command("HGET", key + ":h", "f"));
                assertEquals("2", calls(1).confirmedRead(mainRedis, key, mainRedis.value(String.class).get(key)).await().atMost(PATIENCE));
            } finally {
                mainClient.close();
            }
        }
    }

    /**
     * A retry that finds what an earlier, unconfirmed request made (a replayed checkout) writes nothing itself, and
     * WAIT counts the replicas that have this connection's own last write, made maybe long ago, by an earlier
     * request on this pooled connection. The confirmation must cover what the primary already had, whoever wrote it.
     */
    @Test
    void answerThatWritesNothingIsConfirmedOnlyOnceWhatThePrimaryHadIsOnAReplica() {
        LaggingReplica.with(vertx, (main, redis) -> {
            String earlier = key(), other = key();
            // An earlier request on the one pooled connection wrote, and the replica has acknowledged it.
            calls(0).confirmed(INCR, redis, List.of(earlier), List.of()).await().atMost(PATIENCE);
            long written = offset(main, "master_repl_offset");
            await().atMost(PATIENCE).until(() -> offset(main, "slave0") >= written);
            // Another connection writes what this request will only read; the replica has not got it yet.
            main.command("SET", other, "made by an earlier request");
            assertThrows(WriteNotReplicated.class,
                    () -> calls(1).confirmed(GET, redis, List.of(other), List.of()).await().atMost(PATIENCE));
        });
    }

    /**
     * A read shows what the primary holds, including a change another request made and could not get confirmed: it
     * is not answered while that is not on a replica (answered once it is: see the test with a replica that keeps up),
     * and on a single Redis it is the read alone.
     */
    @Test
    void readIsAnsweredOnlyOnceWhatItSawIsOnAReplica() {
        LaggingReplica.with(vertx, (main, redis) -> {
            String key = key();
            main.command("SET", key, "not on the replica yet");
            assertThrows(ReadNotConfirmed.class,
                    () -> calls(1).confirmedRead(redis, key, redis.value(String.class).get(key)).await().atMost(PATIENCE));
        });
        primary.command("CONFIG", "RESETSTAT");
        assertEquals(null, calls(0).confirmedRead(redis, key(), redis.value(String.class).get(key())).await().atMost(PATIENCE));
        assertFalse(primary.command("INFO", "commandstats").contains("cmdstat_wait"), "no WAIT sent");
    }

    /** From INFO replication: master_repl_offset, or the offset the first replica acknowledged (slave0). */
    private static long offset(RedisServer server, String field) {
        for (String line : server.command("INFO", "replication").split("\\r?\\n")) {
            if (line.startsWith(field + ":")) {
                String value = line.substring(field.length() + 1);
                return Long.parseLong(field.startsWith("slave") ? value.replaceAll(".*offset=(\\d+).*", "$1") : value.trim());
            }
        }
        return -1;
    }

    @Test
    void writeSentToAReplicaIsUnavailableInABatchToo() {
        // After a failover, a connection may still reach the old primary, now a replica: READONLY, a 503.
        try (RedisServer main = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            replica.command("REPLICAOF", "127.0.0.1", Integer.toString(main.port()));
            Redis replicaClient = Redis.createClient(vertx, replica.uri());
            try {
                ReactiveRedisDataSource replicaRedis = LaggingReplica.dataSource(vertx, replicaClient);
                Throwable failure = assertThrows(Throwable.class,
                        () -> calls(1).confirmed(replicaRedis, Command.INCR, key()).await().atMost(PATIENCE));
                assertTrue(String.valueOf(failure.getMessage()).contains("READONLY"), "failed with " + failure);
                assertTrue(BackingServiceFailures.isUnavailable(failure), "unavailable: " + failure);
            } finally {
                replicaClient.close();
            }
        }
    }

    @Test
    void replicaTimeoutOfZeroIsRefusedBecauseWaitWouldBlockForEver() {
        assertThrows(IllegalArgumentException.class, () -> new RedisCalls(config(1, Duration.ZERO)));
    }

    private static String key() {
        return "confirmed-it:" + UUID.randomUUID();
    }

    private static RedisCalls calls(int writeReplicas) {
        return new RedisCalls(config(writeReplicas, Duration.ofMillis(300)));
    }

    private static ClonesConfig.Redis config(int writeReplicas, Duration replicaTimeout) {
        return new RedisSettings(Duration.ofSeconds(10), writeReplicas, replicaTimeout, "standalone");
    }
}
