package dev.clones.cart;

import dev.clones.testing.ApiReference;
import dev.clones.testing.TestStack;
import dev.clones.testing.quarkus.BackingServersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packaged artifact as built (the jar here, the native binary with -Pnative) against a real Redis, with
 * users logged in through auth-service: the bundled catalogue, the cart scripts, and orders read back from the
 * JSON the checkout script stored.
 */
@QuarkusIntegrationTest
@WithTestResource(value = BackingServersResource.class, initArgs = {
        @ResourceArg(name = BackingServersResource.SERVERS, value = "redis"),
        @ResourceArg(name = BackingServersResource.AUTH_SERVICE, value = "true") })
class CartServicePackagedIT {

    static final String SENCHA = "TEA-SENCHA-100";   // 8.50 in the bundled catalogue
    static final String ASSAM = "TEA-ASSAM-250";     // 12.90

    TestStack servers;

    @Test
    void apiReferenceListsExactlyTheOperationsThisServicePublishes() {
        assertEquals(ApiReference.ofThisRepository().operations("cart-service"), ApiReference.servedOperations(),
                "docs/api.md (expected) against /q/openapi (actual): update the reference with the endpoint");
    }

    @Test
    void bundledCatalogueIsServed() {
        given().get("/api/products").then().statusCode(200).body("sku", hasItems(SENCHA, ASSAM));
        given().get("/api/products/" + SENCHA).then().statusCode(200).body("priceCents", equalTo(850));
        given().get("/api/products/NO-SUCH-SKU").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void itemsAddedToTheCartAreCheckedOutIntoAnOrder() {
        String session = servers.newSession();
        addItem(session, SENCHA, 2);
        addItem(session, ASSAM, 1);
        given().auth().oauth2(session).get("/api/cart").then().statusCode(200)
                .body("items.sku", hasItems(SENCHA, ASSAM)).body("totalCents", equalTo(2 * 850 + 1290));

        String orderId = given().auth().oauth2(session).header("Idempotency-Key", UUID.randomUUID().toString())
                .post("/api/cart/checkout").then().statusCode(201).body("totalCents", equalTo(2990))
                .extract().path("id");
        given().auth().oauth2(session).get("/api/orders/" + orderId).then().statusCode(200)
                .body("items.sku", hasItems(SENCHA, ASSAM)).body("totalCents", equalTo(2990)).body("createdAt", notNullValue());
        given().auth().oauth2(session).get("/api/cart").then().statusCode(200).body("items", equalTo(List.of()));
    }

    @Test
    void cartNeedsASession() {
        given().get("/api/cart").then().statusCode(401).contentType("application/problem+json");
    }

    private static void addItem(String session, String sku, int quantity) {
        given().auth().oauth2(session).contentType(ContentType.JSON).body(Map.of("sku", sku, "quantity", quantity))
                .post("/api/cart/items").then().statusCode(200);
    }

}
