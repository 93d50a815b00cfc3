package dev.clones.auth;

import dev.clones.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

/** Failed logins are counted in Redis, so spreading guesses over replicas gains nothing. */
class LoginThrottleIT {

    static AuthCluster cluster;
    static ServiceProcess a;
    static ServiceProcess b;

    @BeforeAll
    static void start() {
        cluster = AuthCluster.start(2, Map.of(
                "AUTH_THROTTLE_MAX_FAILURES_PER_ACCOUNT", "3",
                "AUTH_THROTTLE_MAX_FAILURES_PER_ADDRESS", "8"));
        a = cluster.replica(0);
        b = cluster.replica(1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void forgetEarlierFailures() {
        cluster.redis.command("FLUSHALL");
    }

    @Test
    void accountIsThrottledAcrossReplicasEvenForTheRightPassword() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        AuthCluster.login(a, email, "wrong-1").then().statusCode(401);
        AuthCluster.login(b, email, "wrong-2").then().statusCode(401);
        AuthCluster.login(a, email, "wrong-3").then().statusCode(401);
        AuthCluster.login(b, email, "correct-horse").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("detail", containsString("account"));
    }

    @Test
    void clientAddressIsThrottledAcrossAccounts() {
        for (int i = 0; i < 8; i++) {
            AuthCluster.login(i % 2 == 0 ? a : b, AuthCluster.uniqueEmail(), "guess").then().statusCode(401);
        }
        AuthCluster.login(a, AuthCluster.uniqueEmail(), "guess").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("detail", containsString("client address"));
    }
}
