package dev.clones.load.ledger;

import java.util.HashMap;
import java.util.Map;

/** One change a shopper asks of their cart, applied to a cart as the server should apply it. */
public sealed interface CartChange {

    Map<String, Integer> applyTo(Map<String, Integer> cart);

    /** POST /api/cart/items: adds to the line's quantity. */
    record Add(String sku, int quantity) implements CartChange {
        @Override
        public Map<String, Integer> applyTo(Map<String, Integer> cart) {
            Map<String, Integer> next = new HashMap<>(cart);
            next.merge(sku, quantity, Integer::sum);
            return Map.copyOf(next);
        }
    }

    /** PUT /api/cart/items/{sku}: sets the quantity; 0 removes the line. */
    record SetQuantity(String sku, int quantity) implements CartChange {
        @Override
        public Map<String, Integer> applyTo(Map<String, Integer> cart) {
            Map<String, Integer> next = new HashMap<>(cart);
            if (quantity == 0) {
                next.remove(sku);
            } else {
                next.put(sku, quantity);
            }
            return Map.copyOf(next);
        }
    }

    /** A checkout empties the cart. */
    record Clear() implements CartChange {
        @Override
        public Map<String, Integer> applyTo(Map<String, Integer> cart) {
            return Map.of();
        }
    }
}
