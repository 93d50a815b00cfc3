package dev.clones.auth;

import dev.clones.testing.RedisServer;
import dev.clones.testing.RedisTier;
import dev.clones.testing.ServiceProcess;
import dev.clones.testing.TestStack;
import dev.clones.testing.TwoReplicasPerClass;
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
import java.util.Map;

/** A {@link TestStack} with Redis and N auth-service processes on it, as the tests of this module need them. */
final class AuthCluster implements AutoCloseable {

    /** For loops of thousands of requests, where RestAssured's own cost per request would dominate. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final TestStack stack;
    /** The stack's Redis, one server or a cluster; {@code stack.redis()} for the tests that stop or proxy the one server. */
    final RedisTier redis;

    private AuthCluster(TestStack stack) {
        this.stack = stack;
        this.redis = stack.redisTier();
    }

    /** One replica {@code auth} with the default environment, on a cluster of the class's own (see {@link TwoReplicas}). */
    abstract static class OneReplica {
        static AuthCluster cluster;
        static ServiceProcess auth;

        @BeforeAll
        static void startOneReplica() {
            cluster = start(1, Map.of());
            auth = cluster.replica(0);
        }

        @AfterAll
        static void closeCluster() {
            cluster.close();
        }
    }

    /** Two replicas {@code a} and {@code b} with the default environment, on the one Redis. */
    abstract static class TwoReplicas extends TwoReplicasPerClass {
        static AuthCluster cluster;

        @BeforeAll
        static void startTwoReplicas() {
            cluster = start(2, Map.of());
            runOn(cluster.stack);
        }
    }

    static AuthCluster start(int replicas, Map<String, String> extraEnv) {
        AuthCluster cluster = new AuthCluster(TestStack.builder().redis().build());
        try {
            for (int i = 0; i < replicas; i++) {
                cluster.addReplica(extraEnv);
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts one more replica (named auth-a, auth-b, ... in order); {@code env} may override any default, e.g. the Redis address. */
    ServiceProcess addReplica(Map<String, String> env) {
        return stack.start("auth-" + (char) ('a' + stack.services().size()), env);
    }

    ServiceProcess replica(int index) {
        return stack.services().get(index);
    }

    @Override
    public void close() {
        stack.close();
    }

    static String uniqueEmail() {
        return TestStack.uniqueEmail();
    }

    static Response register(ServiceProcess replica, String email, String password) {
        return TestStack.register(replica, email, password);
    }

    static Response login(ServiceProcess replica, String email, String password) {
        return TestStack.login(replica, email, password);
    }

    /** Registers a fresh user and logs in; answers the session token. */
    static String newSession(ServiceProcess replica) {
        return TestStack.newSession(replica);
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
        return redis.primaries().stream().mapToLong(primary -> commandCalls(primary, command)).sum();
    }

    private static long commandCalls(RedisServer primary, String command) {
        for (String line : primary.command("INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return 0;
    }

    /** Redis's count of writes since it started (it never saves a snapshot here, so nothing resets it). */
    long redisWrites() {
        return redis.primaries().stream().mapToLong(AuthCluster::writes).sum();
    }

    private static long writes(RedisServer primary) {
        for (String line : primary.command("INFO", "persistence").split("\r?\n")) {
            if (line.startsWith("rdb_changes_since_last_save:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("INFO persistence has no rdb_changes_since_last_save");
    }
}
