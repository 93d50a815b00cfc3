package dev.clones.cart;

import dev.clones.testing.RedisServer;
import dev.clones.testing.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.clones.cart.CartCluster.OTHER_SKU;
import static dev.clones.cart.CartCluster.SKU;
import static dev.clones.cart.CartCluster.as;
import static dev.clones.cart.CartCluster.checkout;
import static dev.clones.testing.ProblemJson.problem;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code clones.redis.write-replicas=1}, as with Sentinel, a cart change or a checkout is answered as a success
 * only once a Redis replica has it: against a Redis without a replica both answer 503 (the write is made on the
 * primary but could be lost in a failover), and once a replica follows the primary the same requests, retried with
 * the same Idempotency-Key, succeed and are on the replica.
 */
class UnreplicatedWriteIT {

    /** A bound for the replica to connect and sync; nothing here is timed, only waited for. */
    static final Duration REPLICA_SYNC = Duration.ofSeconds(60);

    static CartCluster cluster;
    static ServiceProcess cart;

    @BeforeAll
    static void startCartRequiringOneReplica() {
        cluster = CartCluster.start(1, Map.of("CLONES_REDIS_WRITE_REPLICAS", "1"));
        cart = cluster.cart(0);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void writesAndCartReadsAnswer503UntilAReplicaConfirmsThemAndTheirRetriesThenSucceed() {
        String shopper = cluster.newUser();
        String userId = cluster.userId(shopper);
        String key = UUID.randomUUID().toString();

        // No replica: made on the primary, but not told as a success.
        unconfirmed(setLine(shopper, SKU, 2));
        assertEquals("2", cluster.redis.command("HGET", RedisKeys.cart(userId), SKU), "the change was made on the primary, only not confirmed");
        // Nor is the cart shown as it is on the primary: a failover could take the change back.
        problem(as(cart, shopper).get("/api/cart").then(), 503).header("Retry-After", "1");
        unconfirmed(checkout(cart, shopper, key));

        RedisServer replica = cluster.stack.track(RedisServer.start());
        replica.command("REPLICAOF", "127.0.0.1", Integer.toString(cluster.redis.port()));
        // The primary counts the replica for WAIT once it has its first acknowledgement, a while after the replica's
        // own link is up; a WAIT on a connection that wrote nothing tells when.
        await().atMost(REPLICA_SYNC).until(() -> cluster.redis.command("INFO", "replication").contains("connected_slaves:1")
                && replica.command("INFO", "replication").contains("master_link_status:up")
                && "1".equals(cluster.redis.command("WAIT", "1", "100")));

        // The retry finds the order the unconfirmed attempt made (so it is a replay), now confirmed by the replica.
        Response retried = checkout(cart, shopper, key);
        retried.then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("items[0].sku", equalTo(SKU)).body("items[0].quantity", equalTo(2));
        String orderId = retried.path("id");
        checkout(cart, shopper, key).then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(orderId));
        String replicated = replica.command("GET", RedisKeys.order(orderId));
        assertNotNull(replicated, "the order is on the replica");
        assertTrue(replicated.contains(SKU), replicated);
        as(cart, shopper).get("/api/orders").then().statusCode(200).body("size()", equalTo(1)).body("[0].id", equalTo(orderId));

        // A cart change is a success again, and on the replica when it is answered; the cart is shown again.
        setLine(shopper, OTHER_SKU, 3).then().statusCode(200).body("items[0].sku", equalTo(OTHER_SKU));
        assertEquals("3", replica.command("HGET", RedisKeys.cart(userId), OTHER_SKU));
        as(cart, shopper).get("/api/cart").then().statusCode(200).body("items[0].sku", equalTo(OTHER_SKU));
    }

    private static Response setLine(String token, String sku, int quantity) {
        return as(cart, token).contentType(ContentType.JSON).body(Map.of("quantity", quantity)).put("/api/cart/items/" + sku);
    }

    private static void unconfirmed(Response response) {
        problem(response.then(), 503).header("Retry-After", "1").body("detail", containsString("not yet confirmed"));
    }
}
