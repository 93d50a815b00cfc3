package dev.clones.auth;

import dev.clones.testing.RedisServer;
import dev.clones.testing.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** A real Redis and N auth-service processes on it, as the tests of this module need them. */
final class AuthCluster implements AutoCloseable {

    /** For loops of thousands of requests, where RestAssured's own cost per request would dominate. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final RedisServer redis;
    final List<ServiceProcess> replicas = new ArrayList<>();

    private AuthCluster(RedisServer redis) {
        this.redis = redis;
    }

    /**
     * For a test class with a cluster of its own, started before its first test and closed after its last. The fields
     * are static because JUnit runs these classes one at a time.
     */
    abstract static class PerTestClass {
        static AuthCluster cluster;

        @AfterAll
        static void closeCluster() {
            cluster.close();
        }
    }

    /** One replica {@code auth} with the default environment. */
    abstract static class OneReplica extends PerTestClass {
        static ServiceProcess auth;

        @BeforeAll
        static void startOneReplica() {
            cluster = start(1, Map.of());
            auth = cluster.replica(0);
        }
    }

    /** Two replicas {@code a} and {@code b} with the default environment, on the one Redis. */
    abstract static class TwoReplicas extends PerTestClass {
        static ServiceProcess a;
        static ServiceProcess b;

        @BeforeAll
        static void startTwoReplicas() {
            cluster = start(2, Map.of());
            a = cluster.replica(0);
            b = cluster.replica(1);
        }
    }

    static AuthCluster start(int replicas, Map<String, String> extraEnv) {
        AuthCluster cluster = new AuthCluster(RedisServer.start());
        for (int i = 0; i < replicas; i++) {
            cluster.addReplica(extraEnv);
        }
        return cluster;
    }

    /** Starts one more replica (named auth-a, auth-b, ... in order); {@code env} may override any default, e.g. the Redis address. */
    ServiceProcess addReplica(Map<String, String> env) {
        ServiceProcess replica = ServiceProcess.builder()
                .name("auth-" + (char) ('a' + replicas.size()))
                .env("QUARKUS_REDIS_HOSTS", redis.uri())
                .env("AUTH_PASSWORD_BCRYPT_COST", "4")
                .env("AUTH_SEED_ADMIN_EMAIL", "admin@test.local")
                .env("AUTH_SEED_ADMIN_PASSWORD", "admin-password")
                .env(env)
                .start();
        replicas.add(replica);
        return replica;
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

    /** One request through {@link java.net.http}: {@code sid} as a bearer token if not null, {@code json} as the body if not null. */
    static HttpResponse<String> call(ServiceProcess replica, String method, String path, String sid, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(replica.baseUrl() + path)).timeout(Duration.ofSeconds(30));
        if (sid != null) {
            request.header("Authorization", "Bearer " + sid);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> me(ServiceProcess replica, String sid) {
        return call(replica, "GET", "/api/auth/me", sid, null);
    }

    /** How many times Redis ran this command (lower case, e.g. {@code evalsha}) since it started. */
    long commandCalls(String command) {
        for (String line : redis.command("INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return 0;
    }

    /** Redis's count of writes since it started (it never saves a snapshot here, so nothing resets it). */
    long redisWrites() {
        for (String line : redis.command("INFO", "persistence").split("\r?\n")) {
            if (line.startsWith("rdb_changes_since_last_save:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("INFO persistence has no rdb_changes_since_last_save");
    }
}
