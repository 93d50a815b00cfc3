package dev.clones.cart.orders;

import dev.clones.cart.config.CartConfig;
import dev.clones.common.error.ApiProblem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns the cart into an order exactly once per Idempotency-Key: retries, duplicates racing on
 * different replicas and a replica killed halfway all end with at most one order, because the whole
 * checkout is one Lua script in Redis.
 */
@ApplicationScoped
public class IdempotentCheckout {

    private static final Pattern KEY_CHARACTERS = Pattern.compile("[A-Za-z0-9._:-]+");

    private final OrderRepository orders;
    private final CartConfig config;

    public IdempotentCheckout(OrderRepository orders, CartConfig config) {
        this.orders = orders;
        this.config = config;
    }

    public Uni<PlacedOrder> checkout(String userId, String idempotencyKey) {
        validate(idempotencyKey);
        return orders.checkout(userId, idempotencyKey, UUID.randomUUID().toString(),
                        config.checkout().idempotencyKeyRetention(), config.expireAfterInactivity())
                .map(result -> switch (result.outcome()) {
                    case CREATED -> new PlacedOrder(result.order(), false);
                    case REPLAYED -> new PlacedOrder(result.order(), true);
                    case KEY_REUSED -> throw ApiProblem.unprocessable("This Idempotency-Key was already used for a checkout of "
                            + "different cart contents; use a new key for a new checkout.");
                    case EMPTY_CART -> throw ApiProblem.conflict("The cart is empty: there is nothing to check out.");
                    case UNKNOWN_SKU -> throw ApiProblem.conflict("The product '" + result.sku()
                            + "' in the cart is no longer sold; remove it and check out again.");
                });
    }

    private void validate(String key) {
        int max = config.checkout().maxIdempotencyKeyLength();
        if (key == null || key.isEmpty()) {
            throw ApiProblem.badRequest("The header Idempotency-Key is required: send a new unique value (a UUID, for "
                    + "instance) for each checkout, and the same value again when retrying it.");
        }
        if (key.length() > max || !KEY_CHARACTERS.matcher(key).matches()) {
            throw ApiProblem.badRequest("Idempotency-Key must be 1 to " + max
                    + " characters from A-Z, a-z, 0-9, '.', '_', ':' and '-'.");
        }
    }
}
