package dev.clones.cart;

import dev.clones.testing.RedisServer;
import dev.clones.testing.ServiceProcess;
import dev.clones.testing.TestStack;
import dev.clones.testing.TwoReplicasPerClass;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;

/**
 * A {@link TestStack} with Redis, one auth-service (to register and log in, as clients do) and N cart-service
 * processes on it. Sessions are made through auth-service, never written by hand.
 */
final class CartCluster implements AutoCloseable {

    static final String SKU = "TEA-SENCHA-100";
    static final String OTHER_SKU = "MUG-ENAMEL-300";

    /** Generous: the build machines have two cores shared with other builds, and JVMs start slowly there. */
    static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    /** Less JIT work at start-up and a single-threaded GC: the same reason. */
    static final String[] JVM_ARGS = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};

    final TestStack stack;
    final RedisServer redis;
    final ServiceProcess auth;
    /** The cart replicas, in start order. */
    final List<ServiceProcess> carts;

    private CartCluster(TestStack stack) {
        this.stack = stack;
        this.redis = stack.redis();
        this.auth = stack.authService();
        this.carts = stack.services();
    }

    /**
     * For a test class on two cart replicas {@code a} and {@code b} with the default environment, and the admin's
     * session on them.
     */
    abstract static class TwoReplicas extends TwoReplicasPerClass {
        static CartCluster cluster;
        static String admin;

        @BeforeAll
        static void startTwoReplicas() {
            cluster = start(2, Map.of());
            runOn(cluster.stack);
            admin = cluster.admin();
        }
    }

    /** Starts the cart replicas at once (they seed the catalogue concurrently) and waits until all are ready. */
    static CartCluster start(int replicas, Map<String, String> cartEnv) {
        CartCluster cluster = new CartCluster(TestStack.builder().redis()
                // Many users are registered from one address here: throttling is not under test.
                .authService(Map.of("AUTH_THROTTLE_MAX_FAILURES_PER_ADDRESS", "100000"))
                .readyTimeout(READY_TIMEOUT).jvmArgs(JVM_ARGS)
                .build());
        try {
            cluster.stack.startAll(IntStream.range(0, replicas).mapToObj(i -> cluster.stack.service("cart-" + (char) ('a' + i))
                    // The wait for every replica to confirm a catalogue change is a liveness bound, not part of
                    // the guarantee; on a crowded build machine a confirmation can take longer than the default 1 s.
                    .env("CART_CATALOGUE_PROPAGATION_TIMEOUT", "PT10S")
                    .env(cartEnv)).toList());
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
        stack.close();
    }

    /** Registers a fresh user and logs in through auth-service; answers the session token. */
    String newUser() {
        return stack.newSession();
    }

    String admin() {
        return stack.adminSession();
    }

    String userId(String token) {
        return stack.userId(token);
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
}
