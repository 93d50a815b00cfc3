package dev.clones.media.reports;

import dev.clones.testing.RabbitMqServer;
import dev.clones.testing.RedisServer;
import dev.clones.testing.S3Server;
import dev.clones.testing.ServiceProcess;
import dev.clones.testing.StackEnvironment;
import io.restassured.response.Response;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * Real Redis, RabbitMQ and S3Proxy, media-service replicas and report-worker processes on them: the whole
 * report path as ./stack runs it, minus the load balancer (tests pick the replica themselves).
 */
final class ReportStack implements AutoCloseable {

    static final String BUCKET = "it-media";
    private static final SecureRandom RANDOM = new SecureRandom();

    final RedisServer redis = RedisServer.start();
    final RabbitMqServer rabbit = RabbitMqServer.start();
    final S3Server s3 = S3Server.start();
    final List<ServiceProcess> processes = new ArrayList<>();

    /** The environment ./stack gives media-service and report-worker alike. */
    Map<String, String> env() {
        Map<String, String> env = StackEnvironment.of(redis, rabbit, s3);
        env.put("MEDIA_S3_BUCKET", BUCKET);
        return env;
    }

    ServiceProcess startMedia(String name, Map<String, String> extra) {
        ServiceProcess.Builder builder = ServiceProcess.builder().name(name).heap("256m").env(env());
        extra.forEach(builder::env);
        return track(builder.start());
    }

    ServiceProcess startWorker(String name, Map<String, String> extra) {
        ServiceProcess.Builder builder = ServiceProcess.builder().name(name).heap("192m").jar(workerJar()).env(env());
        extra.forEach(builder::env);
        return track(builder.start());
    }

    private ServiceProcess track(ServiceProcess process) {
        processes.add(process);
        return process;
    }

    /** report-worker's packaged jar; the reactor builds report-worker before media-service's tests (see the pom). */
    static Path workerJar() {
        return Path.of(System.getProperty("project.root"), "report-worker", "target", "quarkus-app", "quarkus-run.jar");
    }

    // --- users and their data, written where auth-service and cart-service keep them -------------------

    /** A logged-in user: a session in Redis exactly as auth-service creates it. */
    record User(String id, String token) {
    }

    User newUser() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String handle = handleOf(token);
        String id = "user-" + UUID.randomUUID();
        long now = System.currentTimeMillis();
        long absolute = now + Duration.ofHours(12).toMillis();
        redis.command("HSET", "session:" + handle, "uid", id, "email", id + "@example.org", "roles", "", "ua", "it",
                "created", Long.toString(now), "seen", Long.toString(now), "abs", Long.toString(absolute));
        redis.command("PEXPIRE", "session:" + handle, Long.toString(Duration.ofMinutes(30).toMillis()));
        redis.command("ZADD", "user-sessions:" + id, Long.toString(absolute), handle);
        return new User(id, token);
    }

    void seedOrder(User user, String orderId, Instant createdAt, String sku, String name, int quantity, long priceCents) {
        String json = "{\"id\":\"" + orderId + "\",\"userId\":\"" + user.id() + "\",\"items\":[{\"sku\":\"" + sku
                + "\",\"name\":\"" + name + "\",\"quantity\":" + quantity + ",\"priceCents\":" + priceCents + "}],\"totalCents\":"
                + quantity * priceCents + ",\"createdAt\":" + createdAt.toEpochMilli() + "}";
        redis.command("SET", "order:" + orderId, json);
        redis.command("LPUSH", "user-orders:" + user.id(), orderId);
    }

    // --- the API ---------------------------------------------------------------------------------------

    static Response requestReport(ServiceProcess media, User user, String type, String format) {
        return given().spec(media.http()).auth().oauth2(user.token()).contentType("application/json")
                .body(Map.of("type", type, "format", format)).post("/api/reports");
    }

    static Map<String, Object> awaitReport(ServiceProcess media, User user, String id, String status, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() ->
                status.equals(given().spec(media.http()).auth().oauth2(user.token()).get("/api/reports/" + id).path("status")));
        return given().spec(media.http()).auth().oauth2(user.token()).get("/api/reports/" + id).then().statusCode(200)
                .extract().jsonPath().getMap("$");
    }

    private static String handleOf(String token) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        processes.forEach(ServiceProcess::close);
        s3.close();
        rabbit.close();
        redis.close();
    }
}
