package dev.clones.worker.repository;

import java.time.Instant;
import java.util.List;

/** An order as cart-service froze it at checkout. */
public record StoredOrder(String id, Instant createdAt, List<OrderLine> items, long totalCents) {
}
