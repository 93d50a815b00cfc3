package dev.clones.auth;

import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Redis gone: a clear 503 at once, never a hang; Redis back: the service recovers by itself. */
class RedisOutageIT extends AuthCluster.OneReplica {

    /** A client that gives up after 5 s, so a hanging service fails the test instead of stalling it. */
    static final RestAssuredConfig IMPATIENT = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", 5_000)
            .setParam("http.socket.timeout", 5_000));

    @Test
    void redisDownGives503AndTheServiceRecoversWhenItReturns() {
        String sid = AuthCluster.newSession(auth);

        cluster.stack.redis().stop();
        given().spec(auth.http()).config(IMPATIENT).auth().oauth2(sid).get("/api/auth/me")
                .then().statusCode(503).contentType("application/problem+json").body("status", equalTo(503));
        given().spec(auth.http()).config(IMPATIENT).contentType("application/json")
                .body(Map.of("email", "x@example.org", "password", "long-enough", "displayName", "X"))
                .post("/api/auth/register")
                .then().statusCode(503).contentType("application/problem+json");
        given().spec(auth.http()).config(IMPATIENT).get("/q/health/ready").then().statusCode(503);
        given().spec(auth.http()).config(IMPATIENT).get("/q/health/live").then().statusCode(200);

        cluster.stack.redis().restart();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                given().spec(auth.http()).config(IMPATIENT).get("/q/health/ready").statusCode() == 200);
        // The session survived the Redis restart (AOF), and the same process serves it again.
        given().spec(auth.http()).config(IMPATIENT).auth().oauth2(sid).get("/api/auth/me").then().statusCode(200);
    }
}
