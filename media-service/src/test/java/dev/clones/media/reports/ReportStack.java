package dev.clones.media.reports;

import dev.clones.testing.PackagedServices;
import dev.clones.testing.RabbitMqServer;
import dev.clones.testing.RedisServer;
import dev.clones.testing.ServiceProcess;
import dev.clones.testing.TestStack;
import io.restassured.response.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * A {@link TestStack} with Redis, RabbitMQ and S3Proxy, media-service replicas and report-worker processes on it:
 * the whole report path as ./stack runs it, minus the load balancer (tests pick the replica themselves).
 */
final class ReportStack implements AutoCloseable {

    static final String BUCKET = "it-media";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** What media-service and report-worker alike get on top of the stack's environment. */
    private static final Map<String, String> ENV = Map.of("MEDIA_S3_BUCKET", BUCKET);

    final TestStack stack = TestStack.builder().redis().rabbitMq().s3().build();
    final RedisServer redis = stack.redis();
    final RabbitMqServer rabbit = stack.rabbitMq();

    ServiceProcess startMedia(String name, Map<String, String> extra) {
        return stack.start(stack.service(name).heap("256m").env(ENV).env(extra));
    }

    /** A report-worker process, from its packaged jar: the reactor builds report-worker before media-service's tests (see the pom). */
    ServiceProcess startWorker(String name, Map<String, String> extra) {
        return stack.start(stack.service(name).heap("192m").jar(PackagedServices.copyOf("report-worker")).env(ENV).env(extra));
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

    /** A logged-in user with one order, so that an orders report has a line to render. */
    User newUserWithAnOrder() {
        User user = newUser();
        seedOrder(user, "order-" + user.id(), Instant.now(), "TEA-SENCHA-100", "Sencha", 1, 850);
        return user;
    }

    /** The eventIds Redis keeps for the user, oldest first: what every client must end up having seen. */
    java.util.List<String> keptEventIds(User user) {
        // Each entry reads "[<id>, [event, {...}]]".
        return redis.commandList("XRANGE", dev.clones.contracts.NotificationKeys.events(user.id()), "-", "+").stream()
                .map(entry -> entry.substring(1, entry.indexOf(','))).toList();
    }

    void seedOrder(User user, String orderId, Instant createdAt, String sku, String name, int quantity, long priceCents) {
        String json = "{\"id\":\"" + orderId + "\",\"userId\":\"" + user.id() + "\",\"items\":[{\"sku\":\"" + sku
                + "\",\"name\":\"" + name + "\",\"quantity\":" + quantity + ",\"priceCents\":" + priceCents + "}],\"totalCents\":"
                + quantity * priceCents + ",\"createdAt\":" + createdAt.toEpochMilli() + "}";
        redis.command("SET", "order:" + orderId, json);
        redis.command("LPUSH", "user-orders:" + user.id(), orderId);
    }

    // --- the API ---------------------------------------------------------------------------------------

    /** Requests an orders report as CSV, which must be accepted (202); answers its id. Its outcome is an event of the user's. */
    static String requestedReport(ServiceProcess media, User user) {
        return requestReport(media, user, "orders", "csv").then().statusCode(202).extract().path("id");
    }

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
        stack.close();
    }
}
