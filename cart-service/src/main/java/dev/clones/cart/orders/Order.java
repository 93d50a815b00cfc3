package dev.clones.cart.orders;

import java.time.Instant;
import java.util.List;

/** An order as written by the checkout script; it never changes afterwards. */
public record Order(String id, String userId, List<OrderLine> items, long totalCents, Instant createdAt) {
}
