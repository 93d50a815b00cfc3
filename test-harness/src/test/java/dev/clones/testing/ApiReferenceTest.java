package dev.clones.testing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiReferenceTest {

    static final ApiReference SAMPLE = new ApiReference(List.of(
            "# API reference",
            "| prefix | served by |",
            "| --- | --- |",
            "| `/api/auth/` | auth-service |",
            "| `/api/cart`, `/api/orders` | cart-service |",
            "## auth-service",
            "| call | success | errors |",
            "| `POST /api/auth/register` `{email}` | 201 `{id}` | 400 |",
            "| `GET /api/auth/me` | 200 | 401 |",
            "## cart-service",
            "| `PUT /api/cart/items/{sku}` `{quantity}` | 200 | 412 |",
            "### Sub-section of cart",
            "| `GET /api/orders` | 200 | 401 |",
            "| `GET /api/notifications` (WebSocket) | 101 | 401 |",
            "## Conventions",
            "| `GET /api/elsewhere` | 200 | |"));

    @Test
    void routingRowsMapEachPrefixToItsService() {
        assertEquals(Map.of("/api/auth/", "auth-service", "/api/cart", "cart-service", "/api/orders", "cart-service"), SAMPLE.routes());
    }

    @Test
    void operationsAreThoseOfTheServicesOwnSectionWithoutWebSockets() {
        assertEquals(Set.of("POST /api/auth/register", "GET /api/auth/me"), SAMPLE.operations("auth-service"));
        assertEquals(Set.of("PUT /api/cart/items/{sku}", "GET /api/orders"), SAMPLE.operations("cart-service"));
    }

    @Test
    void theRepositorysOwnReferenceIsFoundAndListsEveryPublicService() {
        ApiReference reference = ApiReference.ofThisRepository();
        assertTrue(reference.routes().values().containsAll(Set.of("auth-service", "cart-service", "media-service")), reference.routes().toString());
        assertTrue(reference.operations("media-service").contains("POST /api/reports"), "reports are listed under media-service");
    }
}
