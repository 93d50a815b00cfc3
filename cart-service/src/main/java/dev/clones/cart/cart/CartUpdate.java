package dev.clones.cart.cart;

/**
 * What an atomic cart script did. {@code cart} is set when it was applied; {@code detail} carries the
 * current version (stale), the quantity already in the cart (quantity limit) or the line count (line limit).
 */
public record CartUpdate(Outcome outcome, Cart cart, long detail) {

    public enum Outcome {
        APPLIED,
        /** If-Match named another version. */
        STALE,
        UNKNOWN_SKU,
        QUANTITY_LIMIT,
        LINE_LIMIT
    }
}
