package dev.clones.cart.orders;

/** What the checkout script did; {@code order} is set when created or replayed, {@code sku} for an unknown sku. */
public record CheckoutResult(Outcome outcome, Order order, String sku) {

    public enum Outcome {
        CREATED,
        /** The key was used before by this user, for this cart or a cart since emptied by that checkout. */
        REPLAYED,
        /** The key was used before by this user for a different cart. */
        KEY_REUSED,
        EMPTY_CART,
        /** A line names a product no longer in the catalogue. */
        UNKNOWN_SKU
    }
}
