package dev.clones.cart;

import dev.clones.testing.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.clones.testing.ProblemJson.problem;
import static dev.clones.cart.CartCluster.OTHER_SKU;
import static dev.clones.cart.CartCluster.SKU;
import static dev.clones.cart.CartCluster.add;
import static dev.clones.cart.CartCluster.as;
import static dev.clones.cart.CartCluster.checkout;
import static dev.clones.cart.CartCluster.setPrice;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Bad input gets the 4xx of docs/api.md as problem+json that says what is wrong, and changes nothing.
 * Quantities: a wrong type is 400; on POST, below 1 is 400 and over the per-line limit 422; on PUT,
 * below 0 is 400 and over the limit 422.
 */
class BadInputIT {

    static CartCluster cluster;
    static ServiceProcess cart;
    static String user;

    @BeforeAll
    static void start() {
        // A small line limit, to reach it with the bundled catalogue; the quantity limit stays the default 99.
        cluster = CartCluster.start(1, Map.of("CART_LIMITS_MAX_LINES", "3"));
        cart = cluster.cart(0);
        user = cluster.newUser();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static ValidatableResponse postItem(String token, String json) {
        return as(cart, token).contentType(ContentType.JSON).body(json).post("/api/cart/items").then();
    }

    private static ValidatableResponse putItem(String token, String sku, String json) {
        return as(cart, token).contentType(ContentType.JSON).body(json).put("/api/cart/items/" + sku).then();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"sku\": ", "not json at all", "[1,2", "{\"sku\":\"" + SKU + "\",}", "[1]"})
    void malformedJsonIs400(String body) {
        problem(postItem(user, body), 400);
        problem(putItem(user, SKU, body), 400);
    }

    @Test
    void missingBodyOrFieldsAre400NamingThem() {
        problem(as(cart, user).contentType(ContentType.JSON).post("/api/cart/items").then(), 400);
        problem(postItem(user, "{\"quantity\":1}"), 400).body("detail", containsString("sku"));
        problem(postItem(user, "{\"sku\":\"" + SKU + "\"}"), 400).body("detail", containsString("quantity"));
        problem(putItem(user, SKU, "{}"), 400).body("detail", containsString("quantity"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"3\"", "\"three\"", "1e309", "2.5", "3.0", "true", "[1]", "{\"n\":1}", "99999999999"})
    void wrongTypedQuantityIs400(String quantity) {
        problem(postItem(user, "{\"sku\":\"" + SKU + "\",\"quantity\":" + quantity + "}"), 400);
        problem(putItem(user, SKU, "{\"quantity\":" + quantity + "}"), 400);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -100})
    void addingLessThanOneIs400(int quantity) {
        problem(postItem(user, "{\"sku\":\"" + SKU + "\",\"quantity\":" + quantity + "}"), 400)
                .body("detail", containsString("quantity"));
    }

    @Test
    void settingANegativeQuantityIs400() {
        problem(putItem(user, SKU, "{\"quantity\":-1}"), 400).body("detail", containsString("quantity"));
    }

    @Test
    void quantitiesOverTheLimitAre422SayingWhichLimit() {
        String shopper = cluster.newUser();
        problem(postItem(shopper, "{\"sku\":\"" + SKU + "\",\"quantity\":100}"), 422)
                .body("detail", containsString("Quantity limit")).body("detail", containsString("99"));
        problem(putItem(shopper, SKU, "{\"quantity\":100}"), 422).body("detail", containsString("Quantity limit"));
        add(cart, shopper, SKU, 60).then().statusCode(200);
        problem(postItem(shopper, "{\"sku\":\"" + SKU + "\",\"quantity\":40}"), 422)
                .body("detail", containsString("holds 60")).body("detail", containsString("would make 100"));
        add(cart, shopper, SKU, 39).then().statusCode(200).body("items[0].quantity", equalTo(99));
        as(cart, shopper).get("/api/cart").then().body("items[0].quantity", equalTo(99));
    }

    @Test
    void moreLinesThanTheLimitAre422SayingWhichLimit() {
        String shopper = cluster.newUser();
        add(cart, shopper, SKU, 1).then().statusCode(200);
        add(cart, shopper, OTHER_SKU, 1).then().statusCode(200);
        add(cart, shopper, "COF-KENYA-250", 1).then().statusCode(200);
        problem(add(cart, shopper, "GIFT-CARD-2500", 1).then(), 422)
                .body("detail", containsString("Line limit")).body("detail", containsString("3"));
        problem(putItem(shopper, "GIFT-CARD-2500", "{\"quantity\":1}"), 422).body("detail", containsString("Line limit"));
        // More of a product already in the cart is not a new line.
        add(cart, shopper, SKU, 1).then().statusCode(200);
    }

    @Test
    void unknownSkuIs404() {
        problem(add(cart, user, "NO-SUCH-SKU", 1).then(), 404).body("detail", containsString("NO-SUCH-SKU"));
        problem(add(cart, user, "_version", 1).then(), 404);
        problem(putItem(user, "NO-SUCH-SKU", "{\"quantity\":1}"), 404);
        problem(given().spec(cart.http()).get("/api/products/NO-SUCH-SKU").then(), 404);
    }

    @Test
    void staleIfMatchIs412WithTheCurrentETag() {
        String shopper = cluster.newUser();
        add(cart, shopper, SKU, 1).then().statusCode(200);
        add(cart, shopper, SKU, 1).then().statusCode(200);
        for (String stale : new String[] {"\"1\"", "W/\"2\"", "\"abc\"", "1"}) {
            problem(as(cart, shopper).header("If-Match", stale).contentType(ContentType.JSON)
                    .body(Map.of("quantity", 5)).put("/api/cart/items/" + SKU).then(), 412)
                    .header("ETag", "\"2\"").body("detail", containsString("version 2"));
        }
        as(cart, shopper).header("If-Match", "\"7\", \"2\"").contentType(ContentType.JSON)
                .body(Map.of("quantity", 5)).put("/api/cart/items/" + SKU).then().statusCode(200).header("ETag", "\"3\"");
    }

    @Test
    void idempotencyKeyIsRequiredAndBounded() {
        String shopper = cluster.newUser();
        add(cart, shopper, SKU, 1).then().statusCode(200);
        problem(as(cart, shopper).post("/api/cart/checkout").then(), 400).body("detail", containsString("Idempotency-Key"));
        problem(checkout(cart, shopper, "").then(), 400).body("detail", containsString("Idempotency-Key"));
        problem(checkout(cart, shopper, "k".repeat(129)).then(), 400).body("detail", containsString("128"));
        problem(checkout(cart, shopper, "has space").then(), 400);
        problem(checkout(cart, shopper, "semi;colon").then(), 400);
        checkout(cart, shopper, "k".repeat(128)).then().statusCode(201);
    }

    @Test
    void emptyCartIs409AndAKeyReusedForAnotherCartIs422() {
        String shopper = cluster.newUser();
        problem(checkout(cart, shopper, UUID.randomUUID().toString()).then(), 409).body("detail", containsString("empty"));

        String key = UUID.randomUUID().toString();
        add(cart, shopper, SKU, 1).then().statusCode(200);
        String orderId = checkout(cart, shopper, key).then().statusCode(201).extract().path("id");
        // A retry after the cart was emptied by that very checkout: the same order.
        checkout(cart, shopper, key).then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(orderId));

        add(cart, shopper, OTHER_SKU, 2).then().statusCode(200);
        problem(checkout(cart, shopper, key).then(), 422).body("detail", containsString("Idempotency-Key"));
        as(cart, shopper).get("/api/cart").then().body("items[0].sku", equalTo(OTHER_SKU));
        as(cart, shopper).get("/api/orders").then().body("id", equalTo(List.of(orderId)));
    }

    @Test
    void sameKeyOfAnotherUserIsAnotherCheckout() {
        String key = UUID.randomUUID().toString();
        String first = cluster.newUser();
        String second = cluster.newUser();
        add(cart, first, SKU, 1).then().statusCode(200);
        add(cart, second, SKU, 1).then().statusCode(200);
        String one = checkout(cart, first, key).then().statusCode(201).extract().path("id");
        String two = checkout(cart, second, key).then().statusCode(201).extract().path("id");
        assertNotEquals(one, two);
    }

    @Test
    void invalidProductChangesAre400() {
        String admin = cluster.admin();
        for (String body : new String[] {
                "{\"name\":\"\",\"priceCents\":100}",
                "{\"name\":\"   \",\"priceCents\":100}",
                "{\"name\":\"" + "n".repeat(101) + "\",\"priceCents\":100}",
                "{\"name\":\"Tea\",\"priceCents\":-1}",
                "{\"name\":\"Tea\",\"priceCents\":10000001}",
                "{\"name\":\"Tea\",\"priceCents\":\"100\"}",
                "{\"name\":\"Tea\",\"priceCents\":1.5}",
                "{\"name\":\"Tea\"}",
                "{\"priceCents\":100}",
                "{\"name\":5,\"priceCents\":100}",
                "{\"name\":"}) {
            problem(as(cart, admin).contentType(ContentType.JSON).body(body).put("/api/products/" + SKU).then(), 400);
        }
        setPrice(cart, admin, OTHER_SKU, "n".repeat(100), 10_000_000).then().statusCode(200);
        setPrice(cart, admin, OTHER_SKU, "Free mug", 0).then().statusCode(200);
    }

    @Test
    void everyUserCallWithoutASessionIs401BeforeTheBodyIsRead() {
        problem(given().spec(cart.http()).get("/api/cart").then(), 401);
        problem(given().spec(cart.http()).contentType(ContentType.JSON).body("{\"sku\":").post("/api/cart/items").then(), 401);
        problem(given().spec(cart.http()).contentType(ContentType.JSON).body("{}").put("/api/cart/items/" + SKU).then(), 401);
        problem(given().spec(cart.http()).delete("/api/cart/items/" + SKU).then(), 401);
        problem(given().spec(cart.http()).delete("/api/cart").then(), 401);
        problem(given().spec(cart.http()).header("Idempotency-Key", "k").post("/api/cart/checkout").then(), 401);
        problem(given().spec(cart.http()).get("/api/orders").then(), 401);
        problem(given().spec(cart.http()).get("/api/orders/" + UUID.randomUUID()).then(), 401);
        problem(given().spec(cart.http()).auth().oauth2("A".repeat(43)).get("/api/cart").then(), 401);
        // A non-admin is refused before the body is looked at.
        problem(as(cart, user).contentType(ContentType.JSON).body("{\"name\":").put("/api/products/" + SKU).then(), 403);
    }

    @Test
    void cookieAuthenticatedChangeFromAForeignOriginIs403() {
        String shopper = cluster.newUser();
        problem(given().spec(cart.http()).cookie("SID", shopper).header("Origin", "https://evil.example")
                .contentType(ContentType.JSON).body(Map.of("sku", SKU, "quantity", 1)).post("/api/cart/items").then(), 403);
        as(cart, shopper).get("/api/cart").then().body("items", empty());
        given().spec(cart.http()).cookie("SID", shopper).contentType(ContentType.JSON)
                .body(Map.of("sku", SKU, "quantity", 1)).post("/api/cart/items").then().statusCode(200);
    }

    @Test
    void frameworkErrorsAreProblems() {
        problem(given().spec(cart.http()).get("/api/nowhere").then(), 404);
        problem(as(cart, user).patch("/api/cart").then(), 405);
        problem(as(cart, user).contentType("text/plain").body("hello").post("/api/cart/items").then(), 415);
    }
}
