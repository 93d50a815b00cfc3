package dev.clones.cart.cart;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A cart as stored: quantities by sku and a version that moves on every change (the ETag).
 * A user without a cart has the empty cart at version 0.
 */
public record Cart(long version, SortedMap<String, Integer> lines) {

    public static final Cart EMPTY = new Cart(0, Collections.emptySortedMap());

    public Cart {
        lines = Collections.unmodifiableSortedMap(new TreeMap<>(lines));
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }
}
