package dev.clones.auth;

import dev.clones.common.session.SessionTokens;
import dev.clones.testing.LaggingLink;
import dev.clones.testing.ServiceProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each replica keeps sessions and profiles it read in memory; a change through one replica is still
 * seen by the other before the changing call answers. Every loop warms replica B's cache first, so a
 * stale answer would be served from B's memory if invalidation ever lagged.
 */
class NearCacheIT extends AuthCluster.TwoReplicas {

    static final int ROUNDS = 1_000;
    static final Pattern SESSION_ID = Pattern.compile("\"sessionId\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern DISPLAY_NAME = Pattern.compile("\"displayName\"\\s*:\\s*\"([^\"]*)\"");

    /** Runs after the cluster's own start: JUnit runs a superclass's {@code @BeforeAll} first. */
    @BeforeAll
    static void replicaBTracksInvalidations() {
        awaitTracking(b);
    }

    @Test
    void logoutThroughOneReplicaIsNeverAnsweredFromTheOthersMemory() {
        String email = registered();
        for (int round = 0; round < ROUNDS; round++) {
            String sid = login(a, email);
            assertEquals(200, AuthCluster.me(b, sid).statusCode(), "round " + round + ": B reads the fresh session");
            assertEquals(204, AuthCluster.call(a, "POST", "/api/auth/logout", sid, null).statusCode());
            assertEquals(401, AuthCluster.me(b, sid).statusCode(), "round " + round + ": B answered a logged-out session");
        }
    }

    @Test
    void revokingOneSessionThroughOneReplicaIsNeverAnsweredFromTheOthersMemory() {
        String email = registered();
        String keeper = login(a, email);
        for (int round = 0; round < ROUNDS; round++) {
            String revoked = login(b, email);
            assertEquals(200, AuthCluster.me(b, revoked).statusCode(), "round " + round + ": B reads the fresh session");
            String path = "/api/auth/sessions/" + SessionTokens.handleOf(revoked);
            assertEquals(204, AuthCluster.call(a, "DELETE", path, keeper, null).statusCode());
            assertEquals(401, AuthCluster.me(b, revoked).statusCode(), "round " + round + ": B answered a revoked session");
        }
        assertEquals(200, AuthCluster.me(b, keeper).statusCode(), "the session that revoked the others lives on");
    }

    @Test
    void loggingOutEverywhereThroughOneReplicaIsNeverAnsweredFromTheOthersMemory() {
        String email = registered();
        for (int round = 0; round < ROUNDS / 4; round++) {
            String first = login(a, email);
            String second = login(b, email);
            assertEquals(200, AuthCluster.me(b, first).statusCode());
            assertEquals(200, AuthCluster.me(b, second).statusCode());
            assertEquals(204, AuthCluster.call(a, "DELETE", "/api/auth/sessions", first, null).statusCode());
            assertEquals(401, AuthCluster.me(b, first).statusCode(), "round " + round + ": B answered a session ended everywhere");
            assertEquals(401, AuthCluster.me(b, second).statusCode(), "round " + round + ": B answered a session ended everywhere");
        }
    }

    @Test
    void renameThroughOneReplicaIsNeverReadAsTheOldNameThroughTheOther() {
        String sid = login(a, registered());
        for (int round = 0; round < ROUNDS; round++) {
            String name = "Name " + round;
            assertEquals(200, AuthCluster.call(a, "PATCH", "/api/auth/me", sid, "{\"displayName\":\"" + name + "\"}").statusCode());
            HttpResponse<String> read = AuthCluster.me(b, sid);
            assertEquals(200, read.statusCode());
            assertEquals(name, field(DISPLAY_NAME, read.body()), "round " + round + ": B answered the old name");
        }
    }

    @Test
    void killedInvalidationConnectionThenLogoutElsewhereIsStill401() {
        String email = registered();
        for (int round = 0; round < 5; round++) {
            String sid = login(a, email);
            awaitServedFromMemory(cluster, b, sid);
            String id = trackingConnectionId(b);
            cluster.redis.command("CLIENT", "KILL", "ID", id);
            assertEquals(204, AuthCluster.call(a, "POST", "/api/auth/logout", sid, null).statusCode());
            assertEquals(401, AuthCluster.me(b, sid).statusCode(), "round " + round + ": B answered from a cache whose connection was killed");
        }
        awaitTracking(b);
    }

    @Test
    void logoutWaitsForAReplicaThatHearsOfItLate() {
        // C reaches Redis 300 ms late each way: the invalidation reaches it well after the logout was
        // done in Redis, so only the logout's waiting for C's confirmation keeps C from answering 200.
        // Its own cluster: C's lease would make the other tests' changes wait for C after it is gone.
        try (AuthCluster own = AuthCluster.start(1, Map.of());
                LaggingLink slow = LaggingLink.to(own.stack.redis().port(), Duration.ofMillis(300))) {
            ServiceProcess first = own.replica(0);
            ServiceProcess c = own.addReplica(Map.of("QUARKUS_REDIS_HOSTS", slow.redisUri()));
            String email = AuthCluster.uniqueEmail();
            AuthCluster.register(first, email, "correct-horse").then().statusCode(201);
            for (int round = 0; round < 5; round++) {
                String sid = login(first, email);
                awaitServedFromMemory(own, c, sid);
                assertEquals(204, AuthCluster.call(first, "POST", "/api/auth/logout", sid, null).statusCode());
                assertEquals(401, AuthCluster.me(c, sid).statusCode(), "round " + round + ": the late replica answered from memory");
            }
        }
    }

    @Test
    void repeatedReadsOfOneSessionAreServedFromMemory() {
        String sid = login(a, registered());
        assertEquals(200, AuthCluster.me(b, sid).statusCode());
        long before = cluster.commandCalls("evalsha") + cluster.commandCalls("hmget") + cluster.commandCalls("hgetall");
        for (int i = 0; i < 200; i++) {
            assertEquals(200, AuthCluster.me(b, sid).statusCode());
        }
        long redisReads = cluster.commandCalls("evalsha") + cluster.commandCalls("hmget") + cluster.commandCalls("hgetall") - before;
        // Without the cache: 400 (the session script and the profile for each read). Lease renewals
        // and the session's idle refresh account for the few that remain.
        assertTrue(redisReads <= 20, "200 reads of /me through one replica sent " + redisReads + " reads to Redis");
    }

    // --- helpers ---

    static String registered() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        return email;
    }

    static String login(ServiceProcess replica, String email) {
        HttpResponse<String> login = AuthCluster.call(replica, "POST", "/api/auth/login", null,
                "{\"email\":\"" + email + "\",\"password\":\"correct-horse\"}");
        assertEquals(200, login.statusCode(), login.body());
        return field(SESSION_ID, login.body());
    }

    static String field(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        if (!matcher.find()) {
            fail("no " + pattern + " in " + body);
        }
        return matcher.group(1);
    }

    /** The id of the replica's invalidation connection, as CLIENT LIST names it. */
    static String trackingConnectionId(ServiceProcess replica) {
        String name = "name=near-cache:auth-service/" + replica.name() + " ";
        for (String line : cluster.redis.command("CLIENT", "LIST").split("\n")) {
            if (line.contains(name) && line.contains("flags=PtB")) {
                return line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
            }
        }
        throw new AssertionError("no tracking connection of " + replica.name());
    }

    /** Waits until the replica has its tracking connection (Redis lists it as tracking, broadcast mode). */
    static void awaitTracking(ServiceProcess replica) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> !trackingConnectionId(replica).isEmpty());
    }

    /** Waits until the replica answers {@code /me} for this session without reading the profile from Redis. */
    static void awaitServedFromMemory(AuthCluster cluster, ServiceProcess replica, String sid) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long before = cluster.commandCalls("hmget");
            return AuthCluster.me(replica, sid).statusCode() == 200 && cluster.commandCalls("hmget") == before;
        });
    }

}
