package dev.clones.load.ledger;

/**
 * One checkout attempt under one Idempotency-Key. {@code orderId} is the order the server confirmed (201),
 * or null when every retry failed and nobody knows whether the order exists.
 */
public record Checkout(String idempotencyKey, String orderId) {

    public boolean confirmed() {
        return orderId != null;
    }
}
