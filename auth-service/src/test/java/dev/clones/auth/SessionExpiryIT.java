package dev.clones.auth;

import dev.clones.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Idle and absolute timeouts, both checked on every read (short timeouts configured here). */
class SessionExpiryIT {

    static AuthCluster cluster;
    static ServiceProcess auth;

    @BeforeAll
    static void start() {
        cluster = AuthCluster.start(1, Map.of(
                "CLONES_SESSION_IDLE_TIMEOUT", "PT2S",
                "CLONES_SESSION_ABSOLUTE_TIMEOUT", "PT6S"));
        auth = cluster.replica(0);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void sessionUnusedLongerThanTheIdleTimeoutIsGone() throws InterruptedException {
        String sid = AuthCluster.newSession(auth);
        given().spec(auth.http()).auth().oauth2(sid).get("/api/auth/me").then().statusCode(200);
        Thread.sleep(2_500);
        given().spec(auth.http()).auth().oauth2(sid).get("/api/auth/me").then().statusCode(401);
    }

    @Test
    void sessionInUseOutlivesTheIdleTimeoutButNotTheAbsoluteOne() throws InterruptedException {
        String sid = AuthCluster.newSession(auth);
        Instant start = Instant.now();
        // Used every 700 ms: the idle timeout (2 s) never passes, so only the absolute one (6 s) can end it.
        while (Duration.between(start, Instant.now()).toMillis() < 4_000) {
            given().spec(auth.http()).auth().oauth2(sid).get("/api/auth/me").then().statusCode(200);
            Thread.sleep(700);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(700)).until(() ->
                given().spec(auth.http()).auth().oauth2(sid).get("/api/auth/me").statusCode() == 401);
        assertEquals(401, given().spec(auth.http()).auth().oauth2(sid).get("/api/auth/me").statusCode());
        long lived = Duration.between(start, Instant.now()).toMillis();
        org.junit.jupiter.api.Assertions.assertTrue(lived >= 5_000, "ended by the absolute timeout, after " + lived + " ms");
    }
}
