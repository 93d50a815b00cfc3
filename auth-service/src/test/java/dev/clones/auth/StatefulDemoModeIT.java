package dev.clones.auth;

import dev.clones.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo of the incident ({@code ./stack up --stateful-demo}): sessions in replica memory
 * really are lost between replicas, and the mode is refused where ./stack did not start the process.
 */
class StatefulDemoModeIT {

    private static final Map<String, String> DEMO = Map.of("CLONES_DEMO_REPLICA_LOCAL_SESSIONS", "true");

    @Test
    void sessionMadeOnOneReplicaIsUnknownToTheOther() {
        Map<String, String> env = new HashMap<>(DEMO);
        env.put("STACK_OWNER", "/tmp/demo-test");
        try (AuthCluster cluster = AuthCluster.start(2, env)) {
            ServiceProcess a = cluster.replica(0);
            ServiceProcess b = cluster.replica(1);
            String sid = AuthCluster.newSession(a);

            given().spec(a.http()).auth().oauth2(sid).get("/api/auth/me").then().statusCode(200);
            given().spec(b.http()).auth().oauth2(sid).get("/api/auth/me").then().statusCode(401);
        }
    }

    @Test
    void demoModeIsRefusedOutsideTheLocalStack() throws IOException, InterruptedException {
        try (AuthCluster cluster = AuthCluster.start(0, Map.of());
             ServiceProcess refused = ServiceProcess.builder().name("auth-demo-refused")
                     .env("QUARKUS_REDIS_HOSTS", cluster.stack.redis().uri())
                     .env(DEMO)
                     .startWithoutWaitingForReady()) {
            Instant bound = Instant.now().plus(Duration.ofSeconds(120));
            while (refused.isAlive() && Instant.now().isBefore(bound)) {
                Thread.sleep(200);
            }
            assertFalse(refused.isAlive(), "a replica asked for replica-local sessions outside ./stack must not start");
            assertTrue(Files.readString(refused.logFile()).contains("replica-local-sessions=true is refused"),
                    "the log says why it did not start");
        }
    }
}
