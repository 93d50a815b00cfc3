package dev.clones.cart;

import dev.clones.testing.PackagedServices;
import dev.clones.testing.RedisServer;
import dev.clones.testing.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * A real Redis, one auth-service (to register and log in, as clients do) and N cart-service
 * processes on it. Sessions are made through auth-service, never written by hand.
 */
final class CartCluster implements AutoCloseable {

    static final String ADMIN_EMAIL = "admin@test.local";
    static final String ADMIN_PASSWORD = "admin-password";
    static final String SKU = "TEA-SENCHA-100";
    static final String OTHER_SKU = "MUG-ENAMEL-300";

    /** Generous: the build machines have two cores shared with other builds, and JVMs start slowly there. */
    static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    /** Less JIT work at start-up and a single-threaded GC: the same reason. */
    static final String[] JVM_ARGS = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};

    final RedisServer redis;
    final ServiceProcess auth;
    final List<ServiceProcess> carts = new ArrayList<>();

    private CartCluster(RedisServer redis, ServiceProcess auth) {
        this.redis = redis;
        this.auth = auth;
    }

    /**
     * For a test class on two cart replicas {@code a} and {@code b} with the default environment: its own cluster,
     * started before its first test and closed after its last, and the admin's session on it. The fields are static
     * because JUnit runs these classes one at a time.
     */
    abstract static class TwoReplicas {
        static CartCluster cluster;
        static ServiceProcess a;
        static ServiceProcess b;
        static String admin;

        @BeforeAll
        static void startTwoReplicas() {
            cluster = start(2, Map.of());
            a = cluster.cart(0);
            b = cluster.cart(1);
            admin = cluster.admin();
        }

        @AfterAll
        static void closeCluster() {
            cluster.close();
        }
    }

    /** Starts everything at once (the cart replicas seed the catalogue concurrently) and waits until all are ready. */
    static CartCluster start(int replicas, Map<String, String> cartEnv) {
        RedisServer redis = RedisServer.start();
        ServiceProcess auth = ServiceProcess.builder()
                .name("auth-for-cart")
                .jar(authJar())
                .readyTimeout(READY_TIMEOUT)
                .jvmArgs(JVM_ARGS)
                .env("QUARKUS_REDIS_HOSTS", redis.uri())
                .env("AUTH_PASSWORD_BCRYPT_COST", "4")
                .env("AUTH_SEED_ADMIN_EMAIL", ADMIN_EMAIL)
                .env("AUTH_SEED_ADMIN_PASSWORD", ADMIN_PASSWORD)
                // Many users are registered from one address here: throttling is not under test.
                .env("AUTH_THROTTLE_MAX_FAILURES_PER_ADDRESS", "100000")
                .startWithoutWaitingForReady();
        CartCluster cluster = new CartCluster(redis, auth);
        for (int i = 0; i < replicas; i++) {
            cluster.carts.add(ServiceProcess.builder()
                    .name("cart-" + (char) ('a' + i))
                    .readyTimeout(READY_TIMEOUT)
                    .jvmArgs(JVM_ARGS)
                    .env("QUARKUS_REDIS_HOSTS", redis.uri())
                    // The wait for every replica to confirm a catalogue change is a liveness bound, not part of
                    // the guarantee; on a crowded build machine a confirmation can take longer than the default 1 s.
                    .env("CART_CATALOGUE_PROPAGATION_TIMEOUT", "PT10S")
                    .env(cartEnv)
                    .startWithoutWaitingForReady());
        }
        try {
            auth.awaitReady();
            cluster.carts.forEach(ServiceProcess::awaitReady);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    ServiceProcess cart(int index) {
        return carts.get(index);
    }

    /** Round-robin over the cart replicas, so that consecutive calls land on different ones. */
    ServiceProcess anyCart(int counter) {
        return carts.get(Math.floorMod(counter, carts.size()));
    }

    @Override
    public void close() {
        carts.forEach(ServiceProcess::close);
        auth.close();
        redis.close();
    }

    /** Registers a fresh user and logs in through auth-service; answers the session token. */
    String newUser() {
        String email = "user-" + UUID.randomUUID() + "@example.org";
        given().spec(auth.http()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "correct-horse", "displayName", "Shopper"))
                .post("/api/auth/register").then().statusCode(201);
        return login(email, "correct-horse");
    }

    String admin() {
        return login(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    String userId(String token) {
        return given().spec(auth.http()).auth().oauth2(token).get("/api/auth/me").then().statusCode(200).extract().path("id");
    }

    private String login(String email, String password) {
        return given().spec(auth.http()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password))
                .post("/api/auth/login").then().statusCode(200).extract().path("sessionId");
    }

    // --- calls to cart-service, as a client makes them ------------------------------------------

    static RequestSpecification as(ServiceProcess cart, String token) {
        return given().spec(cart.http()).auth().oauth2(token);
    }

    static Response add(ServiceProcess cart, String token, String sku, int quantity) {
        return as(cart, token).contentType(ContentType.JSON).body(Map.of("sku", sku, "quantity", quantity))
                .post("/api/cart/items");
    }

    static Response checkout(ServiceProcess cart, String token, String key) {
        return as(cart, token).header("Idempotency-Key", key).post("/api/cart/checkout");
    }

    static Response setPrice(ServiceProcess cart, String adminToken, String sku, String name, int priceCents) {
        return as(cart, adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", name, "priceCents", priceCents))
                .put("/api/products/" + sku);
    }

    // --- auth-service, copied once per test run -------------------------------------------------

    /** Copied once per test JVM, so that a rebuild of auth-service cannot pull its jars from under a running process. */
    private static Path authJar;

    private static synchronized Path authJar() {
        if (authJar == null) {
            authJar = PackagedServices.copyOf("auth-service");
        }
        return authJar;
    }
}
