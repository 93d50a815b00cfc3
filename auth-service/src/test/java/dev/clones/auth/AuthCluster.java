package dev.clones.auth;

import dev.clones.testing.RedisServer;
import dev.clones.testing.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** A real Redis and N auth-service processes on it, as the tests of this module need them. */
final class AuthCluster implements AutoCloseable {

    final RedisServer redis;
    final List<ServiceProcess> replicas = new ArrayList<>();

    private AuthCluster(RedisServer redis) {
        this.redis = redis;
    }

    static AuthCluster start(int replicas, Map<String, String> extraEnv) {
        AuthCluster cluster = new AuthCluster(RedisServer.start());
        for (int i = 0; i < replicas; i++) {
            ServiceProcess.Builder builder = ServiceProcess.builder()
                    .name("auth-" + (char) ('a' + i))
                    .env("QUARKUS_REDIS_HOSTS", cluster.redis.uri())
                    .env("AUTH_PASSWORD_BCRYPT_COST", "4")
                    .env("AUTH_SEED_ADMIN_EMAIL", "admin@test.local")
                    .env("AUTH_SEED_ADMIN_PASSWORD", "admin-password");
            extraEnv.forEach(builder::env);
            cluster.replicas.add(builder.start());
        }
        return cluster;
    }

    ServiceProcess replica(int index) {
        return replicas.get(index);
    }

    @Override
    public void close() {
        replicas.forEach(ServiceProcess::close);
        redis.close();
    }

    static String uniqueEmail() {
        return "user-" + UUID.randomUUID() + "@example.org";
    }

    static Response register(ServiceProcess replica, String email, String password) {
        return given().spec(replica.http()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password, "displayName", "Test User"))
                .post("/api/auth/register");
    }

    static Response login(ServiceProcess replica, String email, String password) {
        return given().spec(replica.http()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password))
                .post("/api/auth/login");
    }

    /** Registers a fresh user and logs in; answers the session token. */
    static String newSession(ServiceProcess replica) {
        String email = uniqueEmail();
        register(replica, email, "correct-horse").then().statusCode(201);
        return login(replica, email, "correct-horse").then().statusCode(200).extract().path("sessionId");
    }
}
