package dev.clones.cart.cart;

import dev.clones.cart.catalogue.Product;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cart priced with the catalogue as it is now: names and prices are not frozen until checkout.
 * {@code version} is the ETag.
 */
public record PricedCart(List<Line> items, long totalCents, long version) {

    public record Line(String sku, String name, int quantity, long priceCents) {
    }

    static PricedCart of(Cart cart, Map<String, Product> catalogue) {
        List<Line> items = new ArrayList<>(cart.lines().size());
        long total = 0;
        for (Map.Entry<String, Integer> line : cart.lines().entrySet()) {
            Product product = catalogue.get(line.getKey());
            if (product == null) {
                // Products are never deleted, so this is damage, not a state a client can cause.
                continue;
            }
            items.add(new Line(product.sku(), product.name(), line.getValue(), product.priceCents()));
            total += line.getValue() * product.priceCents();
        }
        return new PricedCart(List.copyOf(items), total, cart.version());
    }
}
