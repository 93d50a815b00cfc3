package dev.clones.cart;

import dev.clones.testing.LinkHeader;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.clones.cart.CartCluster.OTHER_SKU;
import static dev.clones.cart.CartCluster.SKU;
import static dev.clones.cart.CartCluster.add;
import static dev.clones.cart.CartCluster.as;
import static dev.clones.cart.CartCluster.checkout;
import static dev.clones.cart.CartCluster.setPrice;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two cart-service processes on one Redis: whatever one does, the other serves at once. */
class CartAcrossReplicasIT extends CartCluster.TwoReplicas {

    @Test
    void replicasStartingTogetherSeedOneCatalogue() {
        assertEquals("32", cluster.redis.command("HLEN", "catalogue:products"));
        List<String> fromA = given().spec(a.http()).get("/api/products").then().statusCode(200).extract().path("sku");
        List<String> fromB = given().spec(b.http()).get("/api/products").then().statusCode(200).extract().path("sku");
        assertEquals(32, fromA.size());
        assertEquals(fromA, fromB);
        given().spec(b.http()).get("/api/products/" + SKU).then().statusCode(200)
                .body("sku", equalTo(SKU)).body("name", notNullValue()).body("priceCents", notNullValue());
    }

    @Test
    void cartWrittenThroughOneReplicaIsReadThroughTheOther() {
        String user = cluster.newUser();
        as(b, user).get("/api/cart").then().statusCode(200)
                .header("ETag", "\"0\"").body("items", empty()).body("totalCents", equalTo(0)).body("version", equalTo(0));

        add(a, user, SKU, 2).then().statusCode(200).header("ETag", "\"1\"");
        add(b, user, OTHER_SKU, 1).then().statusCode(200).header("ETag", "\"2\"");
        add(a, user, SKU, 3).then().statusCode(200).header("ETag", "\"3\"");

        int sencha = given().spec(a.http()).get("/api/products/" + SKU).path("priceCents");
        int mug = given().spec(a.http()).get("/api/products/" + OTHER_SKU).path("priceCents");
        as(b, user).get("/api/cart").then().statusCode(200)
                .header("ETag", "\"3\"")
                .body("version", equalTo(3))
                .body("items.sku", equalTo(List.of(OTHER_SKU, SKU)))
                .body("items.quantity", equalTo(List.of(1, 5)))
                .body("totalCents", equalTo(mug + 5 * sencha));
    }

    @Test
    void priceChangedThroughOneReplicaIsServedByTheOtherOnTheVeryNextRead() {
        String sku = "COF-KENYA-250";
        String user = cluster.newUser();
        add(b, user, sku, 2).then().statusCode(200);
        // Both replicas have the catalogue in memory now.
        given().spec(a.http()).get("/api/products/" + sku).then().statusCode(200);
        given().spec(b.http()).get("/api/products/" + sku).then().statusCode(200);

        for (int price : new int[] {1234, 1777, 999}) {
            setPrice(a, admin, sku, "Kenya AA, " + price, price).then().statusCode(200)
                    .body("sku", equalTo(sku)).body("priceCents", equalTo(price));
            given().spec(b.http()).get("/api/products/" + sku).then().statusCode(200)
                    .body("priceCents", equalTo(price)).body("name", equalTo("Kenya AA, " + price));
            as(b, user).get("/api/cart").then().statusCode(200)
                    .body("items[0].priceCents", equalTo(price))
                    .body("items[0].name", equalTo("Kenya AA, " + price))
                    .body("totalCents", equalTo(2 * price));
            List<Integer> listed = given().spec(b.http()).get("/api/products").path("findAll { it.sku == '" + sku + "' }.priceCents");
            assertEquals(List.of(price), listed);
        }
    }

    @Test
    void checkoutFreezesPricesAndEmptiesTheCart() {
        String sku = "GIFT-SAMPLER-TEA";
        String user = cluster.newUser();
        setPrice(a, admin, sku, "Tea sampler", 3000).then().statusCode(200);
        add(a, user, sku, 2).then().statusCode(200);

        var placed = checkout(b, user, UUID.randomUUID().toString());
        String orderId = placed.then().statusCode(201)
                .header("Location", endsWith("/api/orders/" + placed.path("id")))
                .header("Idempotent-Replayed", "false")
                .body("items", hasSize(1))
                .body("items[0].sku", equalTo(sku))
                .body("items[0].quantity", equalTo(2))
                .body("items[0].priceCents", equalTo(3000))
                .body("totalCents", equalTo(6000))
                .body("createdAt", notNullValue())
                .extract().path("id");
        as(a, user).get("/api/cart").then().statusCode(200).body("items", empty()).body("totalCents", equalTo(0));

        setPrice(b, admin, sku, "Tea sampler, dearer", 4000).then().statusCode(200);
        as(a, user).get("/api/orders/" + orderId).then().statusCode(200)
                .body("id", equalTo(orderId))
                .body("items[0].priceCents", equalTo(3000))
                .body("items[0].name", equalTo("Tea sampler"))
                .body("totalCents", equalTo(6000));
    }

    @Test
    void ordersAreListedNewestFirstAndAnotherUsersOrderIsNotFound() {
        String user = cluster.newUser();
        add(a, user, SKU, 1).then().statusCode(200);
        String first = checkout(a, user, UUID.randomUUID().toString()).then().statusCode(201).extract().path("id");
        add(b, user, OTHER_SKU, 2).then().statusCode(200);
        String second = checkout(b, user, UUID.randomUUID().toString()).then().statusCode(201).extract().path("id");

        as(b, user).get("/api/orders").then().statusCode(200)
                .body("id", equalTo(List.of(second, first)))
                .body("[0].items[0].sku", equalTo(OTHER_SKU));

        String stranger = cluster.newUser();
        as(a, stranger).get("/api/orders/" + first).then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        as(a, stranger).get("/api/orders").then().statusCode(200).body("", empty());
        as(a, stranger).get("/api/orders/not-an-order-id").then().statusCode(404);
    }

    @Test
    void ordersComeAPageAtATimeAndAnOrderPlacedMeanwhilePushesNothingOffAPage() {
        String user = cluster.newUser();
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            add(i % 2 == 0 ? a : b, user, SKU, 1).then().statusCode(200);
            placed.addFirst(checkout(i % 2 == 0 ? a : b, user, UUID.randomUUID().toString()).then().statusCode(201).extract().path("id"));
        }
        Response first = as(a, user).get("/api/orders?limit=2");
        first.then().statusCode(200).body("", hasSize(2));
        List<String> seen = new ArrayList<>(first.jsonPath().getList("id"));
        String next = nextLink(first);

        add(a, user, SKU, 1).then().statusCode(200);
        String late = checkout(a, user, UUID.randomUUID().toString()).then().statusCode(201).extract().path("id");

        for (int pages = 0; next != null; pages++) {
            Response page = as(pages % 2 == 0 ? b : a, user).get(next);
            page.then().statusCode(200);
            seen.addAll(page.jsonPath().getList("id"));
            next = nextLink(page);
        }
        assertEquals(placed, seen, "every order once, newest first");
        as(b, user).get("/api/orders").then().statusCode(200).body("[0].id", equalTo(late)).header("Link", nullValue());
        as(b, user).get("/api/orders?limit=0").then().statusCode(400).contentType("application/problem+json");
        as(b, user).get("/api/orders?cursor=abc").then().statusCode(400).contentType("application/problem+json");
    }

    private static String nextLink(Response page) {
        return LinkHeader.next(page.header("Link"));
    }

    /**
     * What a load balancer does when a replica dies after applying a conditional change but before answering:
     * it sends the same request, with the same now-stale If-Match, to another replica. The change is already
     * in place, so the answer is the cart (RFC 9110 13.1.1), not a 412 for the user's own write.
     */
    @Test
    void aConditionalChangeSentAgainAfterItWasAppliedAnswersTheCartNot412() {
        String user = cluster.newUser();
        add(a, user, OTHER_SKU, 1).then().statusCode(200);
        String seen = add(a, user, SKU, 1).then().statusCode(200).extract().header("ETag");

        String afterSet = as(a, user).header("If-Match", seen).contentType(ContentType.JSON).body(Map.of("quantity", 6))
                .put("/api/cart/items/" + SKU).then().statusCode(200).extract().header("ETag");
        as(b, user).header("If-Match", seen).contentType(ContentType.JSON).body(Map.of("quantity", 6))
                .put("/api/cart/items/" + SKU).then().statusCode(200).header("ETag", afterSet)
                .body("items.find { it.sku == '" + SKU + "' }.quantity", equalTo(6));
        // The same stale ETag with another quantity is still refused: that change is not in place.
        as(b, user).header("If-Match", seen).contentType(ContentType.JSON).body(Map.of("quantity", 5))
                .put("/api/cart/items/" + SKU).then().statusCode(412).header("ETag", afterSet);

        String afterRemove = as(a, user).header("If-Match", afterSet).delete("/api/cart/items/" + SKU)
                .then().statusCode(200).extract().header("ETag");
        as(b, user).header("If-Match", afterSet).delete("/api/cart/items/" + SKU)
                .then().statusCode(200).header("ETag", afterRemove).body("items.sku", equalTo(List.of(OTHER_SKU)));

        as(a, user).header("If-Match", afterRemove).delete("/api/cart").then().statusCode(204);
        String emptied = as(a, user).get("/api/cart").then().body("items", empty()).extract().header("ETag");
        as(b, user).header("If-Match", afterRemove).delete("/api/cart").then().statusCode(204).header("ETag", emptied);
    }

    @Test
    void putSetsAQuantityAndZeroOrDeleteRemovesTheLine() {
        String user = cluster.newUser();
        add(a, user, SKU, 2).then().statusCode(200);
        add(a, user, OTHER_SKU, 1).then().statusCode(200);

        as(b, user).contentType(ContentType.JSON).body(Map.of("quantity", 7)).put("/api/cart/items/" + SKU)
                .then().statusCode(200).body("items.find { it.sku == '" + SKU + "' }.quantity", equalTo(7));
        as(a, user).contentType(ContentType.JSON).body(Map.of("quantity", 0)).put("/api/cart/items/" + SKU)
                .then().statusCode(200).body("items.sku", equalTo(List.of(OTHER_SKU)));
        as(b, user).delete("/api/cart/items/" + OTHER_SKU).then().statusCode(200).body("items", empty());
        // Removing what is not there is not an error: the answer is the cart.
        as(a, user).delete("/api/cart/items/" + OTHER_SKU).then().statusCode(200).body("items", empty());
    }

    @Test
    void ifMatchGuardsEveryChangeAndTheETagFollowsTheVersion() {
        String user = cluster.newUser();
        String etag = add(a, user, SKU, 1).then().statusCode(200).extract().header("ETag");
        String next = as(b, user).header("If-Match", etag).contentType(ContentType.JSON).body(Map.of("quantity", 4))
                .put("/api/cart/items/" + SKU).then().statusCode(200).extract().header("ETag");
        // The first ETag is stale now, on both replicas and for every kind of change.
        as(a, user).header("If-Match", etag).contentType(ContentType.JSON).body(Map.of("quantity", 9))
                .put("/api/cart/items/" + SKU).then().statusCode(412)
                .contentType("application/problem+json").header("ETag", next);
        as(b, user).header("If-Match", etag).contentType(ContentType.JSON).body(Map.of("sku", SKU, "quantity", 1))
                .post("/api/cart/items").then().statusCode(412);
        as(a, user).header("If-Match", etag).delete("/api/cart/items/" + SKU).then().statusCode(412);
        as(b, user).header("If-Match", etag).delete("/api/cart").then().statusCode(412);
        as(a, user).get("/api/cart").then().body("items[0].quantity", equalTo(4)).header("ETag", next);

        as(a, user).header("If-Match", "*").contentType(ContentType.JSON).body(Map.of("sku", SKU, "quantity", 1))
                .post("/api/cart/items").then().statusCode(200);
        String current = as(b, user).get("/api/cart").header("ETag");
        as(b, user).header("If-Match", current).delete("/api/cart").then().statusCode(204).header("ETag", notNullValue());
        String emptied = as(a, user).get("/api/cart").then().body("items", empty()).extract().header("ETag");
        assertTrue(!emptied.equals(current) && !emptied.equals("\"0\""), "emptying moves the version on: " + emptied);
    }

    @Test
    void cartExpiresAfterInactivityAndEveryChangeRefreshesIt() {
        String user = cluster.newUser();
        add(a, user, SKU, 1).then().statusCode(200);
        long ttl = Long.parseLong(cluster.redis.command("PTTL", "cart:" + cluster.userId(user)));
        long thirtyDays = 30L * 24 * 3600 * 1000;
        assertTrue(ttl > thirtyDays - 60_000 && ttl <= thirtyDays, "cart TTL " + ttl);
    }

    @Test
    void adminChangeSurvivesAReplicaRestartAndItsReseeding() {
        String sku = "TIN-CADDY-200";
        setPrice(a, admin, sku, "Tea caddy, admin's price", 1555).then().statusCode(200);
        b.restart();
        given().spec(b.http()).get("/api/products/" + sku).then().statusCode(200)
                .body("priceCents", equalTo(1555)).body("name", equalTo("Tea caddy, admin's price"));
        assertEquals("32", cluster.redis.command("HLEN", "catalogue:products"));
    }

    @Test
    void productCallsNeedAnAdminToChangeAndNobodyToRead() {
        String user = cluster.newUser();
        setPrice(a, user, SKU, "Cheap", 1).then().statusCode(403).contentType("application/problem+json");
        given().spec(b.http()).contentType(ContentType.JSON).body(Map.of("name", "Cheap", "priceCents", 1))
                .put("/api/products/" + SKU).then().statusCode(401).contentType("application/problem+json");
        setPrice(a, admin, "NO-SUCH-SKU", "Created?", 100).then().statusCode(404).contentType("application/problem+json");
        given().spec(a.http()).get("/api/products/NO-SUCH-SKU").then().statusCode(404);
        given().spec(a.http()).get("/api/products/" + SKU).then().statusCode(200).body("priceCents", not(1));
    }
}
