package dev.clones.common.session;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.redis.LaggingReplica;
import dev.clones.common.redis.RedisSettings;
import dev.clones.common.config.ReplicaIdentity;
import dev.clones.common.nearcache.NearCacheFeed;
import dev.clones.common.redis.WriteNotReplicated;
import dev.clones.testing.RedisServer;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steps of {@link RedisSessionStore}'s operations on two keys against a real redis-server: each write step is
 * confirmed by a replica before the next is made, and what a failed step leaves is safe. A replica that lags 1 s
 * behind its primary makes the first write step of an operation fail its confirmation, deterministically (no
 * timing is asserted: a replica timeout of 300 ms is far below the lag), which stands for a crash after that step.
 */
class RedisSessionStoreIT {

    /** A bound for a test's own awaits, far above anything a call takes; nothing here is timed. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    static Vertx vertx;
    static RedisServer primary;
    static Redis client;
    static RedisSessionStore store;

    @BeforeAll
    static void startRedis() {
        vertx = Vertx.vertx();
        primary = RedisServer.start();
        client = Redis.createClient(vertx, primary.uri());
        store = store(LaggingReplica.dataSource(vertx, client), 0);
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
    void listDropsAnIndexEntryWhoseRecordIsGoneAndOnlyThat() {
        // What a revoke that failed after deleting the record leaves behind: an entry without a record.
        String user = user();
        String kept = create(store, user);
        String revoked = create(store, user);
        primary.command("DEL", "session:" + revoked);
        List<SessionSummary> listed = store.list(user).await().atMost(PATIENCE);
        assertEquals(List.of(kept), listed.stream().map(SessionSummary::id).toList());
        assertEquals("1", primary.command("ZCARD", "user-sessions:" + user), "the dangling entry is pruned");
        assertFalse(store.revoke(user, revoked).await().atMost(PATIENCE), "nothing live was left to revoke");
    }

    @Test
    void aSessionCannotBeRevokedThroughAnotherUsersIndex() {
        String owner = user();
        String session = create(store, owner);
        assertFalse(store.revoke(user(), session).await().atMost(PATIENCE));
        assertEquals("1", primary.command("EXISTS", "session:" + session));
        assertTrue(store.revoke(owner, session).await().atMost(PATIENCE));
        assertEquals("0", primary.command("EXISTS", "session:" + session));
        assertEquals("0", primary.command("EXISTS", "user-sessions:" + owner));
    }

    @Test
    void logOutEverywhereEndsEverySessionAndEmptiesTheIndex() {
        String user = user();
        String ended = create(store, user);
        store.revokeAll(user).await().atMost(PATIENCE);
        assertEquals("0", primary.command("EXISTS", "session:" + ended));
        assertTrue(store.list(user).await().atMost(PATIENCE).isEmpty());
        assertEquals("0", primary.command("EXISTS", "user-sessions:" + user));
    }

    @Test
    void aCreatedSessionIsOnTheReplicaRecordAndIndexEntryWhenItsTokenIsAnswered() {
        try (RedisServer main = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            replica.command("REPLICAOF", "127.0.0.1", Integer.toString(main.port()));
            LaggingReplica.awaitFollowing(main, replica);
            Redis mainClient = Redis.createClient(vertx, main.uri());
            try {
                RedisSessionStore confirming = store(LaggingReplica.dataSource(vertx, mainClient), 1);
                String user = user();
                String session = create(confirming, user);
                assertEquals("1", replica.command("EXISTS", "session:" + session));
                assertEquals("1", replica.command("ZCARD", "user-sessions:" + user));
                assertTrue(confirming.revoke(user, session).await().atMost(PATIENCE));
                assertEquals("0", replica.command("EXISTS", "session:" + session));
                assertEquals("0", replica.command("EXISTS", "user-sessions:" + user));
                String other = create(confirming, user);
                confirming.revokeAll(user).await().atMost(PATIENCE);
                assertEquals("0", replica.command("EXISTS", "session:" + other));
                assertEquals("0", replica.command("EXISTS", "user-sessions:" + user));
            } finally {
                mainClient.close();
            }
        }
    }

    @Test
    void aSessionWhoseRecordWasNotConfirmedIsNeverIndexedNorAnswered() {
        LaggingReplica.with(vertx, (main, redis) -> {
            String user = user();
            assertThrows(WriteNotReplicated.class, () -> create(store(redis, 1), user));
            assertEquals("0", main.command("EXISTS", "user-sessions:" + user),
                    "the record came first and its failure stopped the index step: nobody has its token");
        });
    }

    @Test
    void aRevokeWhoseDeleteWasNotConfirmedKeepsTheEntryAndListDropsItOnceTheRecordIsGone() {
        LaggingReplica.with(vertx, (main, redis) -> {
            String user = user();
            String session = create(store(redis, 0), user);
            assertThrows(WriteNotReplicated.class, () -> store(redis, 1).revoke(user, session).await().atMost(PATIENCE));
            assertEquals("0", main.command("EXISTS", "session:" + session), "made on the primary, only not confirmed");
            assertEquals("1", main.command("ZCARD", "user-sessions:" + user),
                    "never unindexed before the delete is confirmed: the owner can still reach a session not yet gone");
            assertTrue(store(redis, 0).list(user).await().atMost(PATIENCE).isEmpty());
            assertEquals("0", main.command("EXISTS", "user-sessions:" + user));
        });
    }

    @Test
    void aLogOutEverywhereWhoseDeletesWereNotConfirmedKeepsTheEntries() {
        LaggingReplica.with(vertx, (main, redis) -> {
            String user = user();
            String first = create(store(redis, 0), user);
            String second = create(store(redis, 0), user);
            assertThrows(WriteNotReplicated.class, () -> store(redis, 1).revokeAll(user).await().atMost(PATIENCE));
            assertEquals("2", main.command("ZCARD", "user-sessions:" + user), "entries outlive records, never the reverse");
            assertEquals("0", main.command("EXISTS", "session:" + first));
            assertEquals("0", main.command("EXISTS", "session:" + second));
            // Retrying finishes the job, as the client told 503 would.
            store(redis, 0).revokeAll(user).await().atMost(PATIENCE);
            assertEquals("0", main.command("EXISTS", "user-sessions:" + user));
        });
    }

    private static String create(RedisSessionStore store, String user) {
        return store.create(user, user + "@test.local", Set.of("user"), "it").await().atMost(PATIENCE).session().id();
    }

    private static String user() {
        return "session-it-" + UUID.randomUUID();
    }

    /**
     * A store whose near-cache feed is never started: no replica holds a lease, so a barrier answers once Redis
     * said so, and nothing is served from memory.
     */
    private static RedisSessionStore store(ReactiveRedisDataSource redis, int writeReplicas) {
        ClonesConfig config = config(writeReplicas);
        NearCacheFeed feed = new NearCacheFeed(redis.getRedis(), redis, vertx, config, new ReplicaIdentity(config, "session-it"));
        return new RedisSessionStore(redis, config, feed);
    }

    private static ClonesConfig config(int writeReplicas) {
        return new ClonesConfig() {
            @Override
            public Optional<String> replicaId() {
                return Optional.of("it");
            }

            @Override
            public Session session() {
                return new Session() {
                    @Override
                    public String cookieName() {
                        return "SID";
                    }

                    @Override
                    public boolean acceptUnprefixedCookie() {
                        return false;
                    }

                    @Override
                    public boolean cookieSecure() {
                        return false;
                    }

                    @Override
                    public Duration idleTimeout() {
                        return Duration.ofMinutes(30);
                    }

                    @Override
                    public Duration absoluteTimeout() {
                        return Duration.ofHours(12);
                    }

                    @Override
                    public Optional<Duration> refreshInterval() {
                        return Optional.empty();
                    }
                };
            }

            @Override
            public Http http() {
                throw new UnsupportedOperationException("not used by the session store");
            }

            @Override
            public ClonesConfig.Redis redis() {
                return RedisSettings.of(writeReplicas, "standalone");
            }

            @Override
            public NearCache nearCache() {
                return new NearCache() {
                    @Override
                    public boolean enabled() {
                        return false;
                    }

                    @Override
                    public int maxEntries() {
                        return 100;
                    }

                    @Override
                    public Duration heartbeatInterval() {
                        return Duration.ofSeconds(1);
                    }

                    @Override
                    public Duration lease() {
                        return Duration.ofSeconds(5);
                    }

                    @Override
                    public String channel() {
                        return "session-it:near-cache";
                    }
                };
            }

            @Override
            public Demo demo() {
                return () -> false;
            }
        };
    }
}
