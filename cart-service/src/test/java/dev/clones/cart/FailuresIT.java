package dev.clones.cart;

import dev.clones.testing.ServiceProcess;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.clones.cart.CartCluster.add;
import static dev.clones.cart.CartCluster.as;
import static dev.clones.cart.CartCluster.checkout;
import static dev.clones.cart.CartCluster.setPrice;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicas killed, Redis connections cut, Redis down: checkouts stay all-or-nothing, and no replica
 * serves a catalogue it can no longer prove fresh.
 */
class FailuresIT extends CartCluster.TwoReplicas {

    /** A client that gives up after 5 s, so a hanging service fails the test instead of stalling it. */
    static final RestAssuredConfig IMPATIENT = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", 5_000)
            .setParam("http.socket.timeout", 5_000));

    static final List<String> SKUS = List.of("TEA-ASSAM-250", "COF-BRAZIL-500", "INFUSER-STEEL", "FILTER-PAPER-100");

    @BeforeEach
    void everythingRuns() {
        if (!cluster.redis.isRunning()) {
            cluster.redis.restart();
        }
        for (ServiceProcess replica : cluster.carts) {
            if (!replica.isAlive()) {
                replica.restart();
            }
            replica.awaitReady();
        }
    }

    @Test
    void replicaKilledDuringCheckoutsLeavesEveryCartAllOrNothing() {
        checkoutsSurvive(() -> a.kill(), a, b);
        a.restart();
    }

    @Test
    void redisConnectionsCutDuringCheckoutsLeaveEveryCartAllOrNothing() {
        checkoutsSurvive(() -> cluster.redis.command("CLIENT", "KILL", "TYPE", "normal"), a, b);
    }

    /**
     * Many users check out at once through {@code victim}; after a few answers, {@code failure}
     * strikes. Then, read through {@code survivor}: each user has either one order and an empty cart,
     * or no order and the cart untouched. Retrying with the same key completes the checkout exactly once.
     */
    private void checkoutsSurvive(Runnable failure, ServiceProcess victim, ServiceProcess survivor) {
        int users = 60;
        List<Shopper> shoppers = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String token = cluster.newUser();
            Map<String, Integer> lines = new HashMap<>();
            for (int line = 0; line <= i % SKUS.size(); line++) {
                int quantity = 1 + (i + line) % 5;
                add(survivor, token, SKUS.get(line), quantity).then().statusCode(200);
                lines.put(SKUS.get(line), quantity);
            }
            shoppers.add(new Shopper(token, UUID.randomUUID().toString(), lines));
        }

        ExecutorService pool = Executors.newFixedThreadPool(users);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch firstAnswer = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        int[] codes = new int[users];
        try {
            for (Shopper shopper : shoppers) {
                statuses.add(pool.submit(() -> {
                    go.await();
                    try {
                        return given().spec(victim.http()).config(IMPATIENT).auth().oauth2(shopper.token())
                                .header("Idempotency-Key", shopper.key()).post("/api/cart/checkout").statusCode();
                    } catch (Exception connectionFailed) { // the replica died under this request
                        return -1;
                    } finally {
                        firstAnswer.countDown();
                    }
                }));
            }
            go.countDown();
            // Strike as soon as the first checkout is answered, while the others are on their way.
            assertTrue(firstAnswer.await(60, TimeUnit.SECONDS), "no checkout answered within 60 s");
            failure.run();
            for (int i = 0; i < users; i++) {
                codes[i] = statuses.get(i).get();
                assertTrue(codes[i] == 201 || codes[i] == 503 || codes[i] == -1, "a checkout answered " + codes[i]);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }

        int completed = 0;
        int unanswered = 0;
        for (int i = 0; i < users; i++) {
            Shopper shopper = shoppers.get(i);
            List<Map<String, Object>> orders = as(survivor, shopper.token()).get("/api/orders").then().statusCode(200).extract().path("");
            Map<String, Integer> cart = cartLines(survivor, shopper.token());
            assertTrue(orders.size() <= 1, "never two orders for one key: " + orders);
            if (orders.size() == 1) {
                completed++;
                if (codes[i] != 201) {
                    unanswered++; // made in Redis, but the client never heard of it: the retry below must find it
                }
                assertTrue(cart.isEmpty(), "an order exists, so the cart is empty: " + cart);
                assertEquals(shopper.lines(), orderLines(orders.get(0)), "the order holds what the cart held");
            } else {
                assertEquals(shopper.lines(), cart, "no order, so the cart is intact");
            }
            // The client retries with the same key: the checkout completes exactly once.
            Response retry = checkout(survivor, shopper.token(), shopper.key());
            retry.then().statusCode(201);
            if (orders.size() == 1) {
                assertEquals(orders.get(0).get("id"), retry.path("id"), "the retry answers the order made before the failure");
            }
            as(survivor, shopper.token()).get("/api/orders").then().body("size()", equalTo(1));
            assertTrue(cartLines(survivor, shopper.token()).isEmpty());
        }
        System.out.printf("%d of %d checkouts had completed when the failure struck, %d of them unanswered%n",
                completed, users, unanswered);
    }

    @Test
    void replicaThatLostItsSubscriptionServesTheNewPriceOnItsNextRead() {
        String sku = "SCALE-TIMER";
        int before = given().spec(a.http()).get("/api/products/" + sku).then().statusCode(200).extract().path("priceCents");
        given().spec(b.http()).get("/api/products/" + sku).then().statusCode(200);

        for (int round = 1; round <= 3; round++) {
            cluster.redis.command("CLIENT", "KILL", "TYPE", "pubsub");
            int price = before + round;
            setPrice(b, admin, sku, "Scale, round " + round, price).then().statusCode(200);
            given().spec(a.http()).get("/api/products/" + sku).then().statusCode(200).body("priceCents", equalTo(price));
            given().spec(b.http()).get("/api/products/" + sku).then().statusCode(200).body("priceCents", equalTo(price));
        }

        // Resubscribed, the replicas keep following changes.
        await().atMost(Duration.ofSeconds(30)).until(() -> inMemoryCopyInUse(a) && inMemoryCopyInUse(b));
        given().spec(a.http()).get("/api/products/" + sku).then().body("priceCents", equalTo(before + 3));
        setPrice(b, admin, sku, "Scale", before + 10).then().statusCode(200);
        given().spec(a.http()).get("/api/products/" + sku).then().body("priceCents", equalTo(before + 10));
    }

    @Test
    void replicaThatCannotResubscribeReadsTheCatalogueFromRedis() {
        String sku = "GRINDER-HAND";
        given().spec(a.http()).get("/api/products/" + sku).then().statusCode(200);
        // Nobody may subscribe any more: the replicas lose their subscriptions and cannot get them back.
        cluster.redis.command("ACL", "SETUSER", "default", "-subscribe");
        try {
            cluster.redis.command("CLIENT", "KILL", "TYPE", "pubsub");
            for (int price = 7001; price <= 7003; price++) {
                setPrice(b, admin, sku, "Grinder", price).then().statusCode(200);
                given().spec(a.http()).get("/api/products/" + sku).then().statusCode(200).body("priceCents", equalTo(price));
            }
            assertTrue(!inMemoryCopyInUse(a), "no subscription, so no in-memory copy in use");
        } finally {
            cluster.redis.command("ACL", "SETUSER", "default", "+subscribe");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> inMemoryCopyInUse(a));
        setPrice(b, admin, sku, "Grinder", 6900).then().statusCode(200);
        given().spec(a.http()).get("/api/products/" + sku).then().body("priceCents", equalTo(6900));
    }

    @Test
    void redisDownGives503AtOnceAndTheServiceRecoversWhenItReturns() {
        String user = cluster.newUser();
        add(a, user, "TEA-ASSAM-250", 1).then().statusCode(200);

        cluster.redis.stop();
        for (ServiceProcess replica : cluster.carts) {
            given().spec(replica.http()).config(IMPATIENT).auth().oauth2(user).get("/api/cart")
                    .then().statusCode(503).contentType("application/problem+json").body("status", equalTo(503));
            given().spec(replica.http()).config(IMPATIENT).get("/api/products")
                    .then().statusCode(503).contentType("application/problem+json");
            given().spec(replica.http()).config(IMPATIENT).get("/q/health/ready").then().statusCode(503);
            given().spec(replica.http()).config(IMPATIENT).get("/q/health/live").then().statusCode(200);
        }

        cluster.redis.restart();
        for (ServiceProcess replica : cluster.carts) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(replica::isReady);
            as(replica, user).config(IMPATIENT).get("/api/cart").then().statusCode(200)
                    .body("items[0].sku", equalTo("TEA-ASSAM-250"));
        }
    }

    private static boolean inMemoryCopyInUse(ServiceProcess replica) {
        Boolean inUse = given().spec(replica.http()).get("/q/health/ready").path("checks.find { it.name == 'catalogue' }.data.inMemoryCopyInUse");
        return Boolean.TRUE.equals(inUse);
    }

    private static Map<String, Integer> cartLines(ServiceProcess replica, String token) {
        List<Map<String, Object>> items = as(replica, token).get("/api/cart").then().statusCode(200).extract().path("items");
        Map<String, Integer> lines = new HashMap<>();
        items.forEach(item -> lines.put((String) item.get("sku"), (Integer) item.get("quantity")));
        return lines;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> orderLines(Map<String, Object> order) {
        Map<String, Integer> lines = new HashMap<>();
        ((List<Map<String, Object>>) order.get("items")).forEach(item -> lines.put((String) item.get("sku"), (Integer) item.get("quantity")));
        return lines;
    }

    private record Shopper(String token, String key, Map<String, Integer> lines) {
    }
}
