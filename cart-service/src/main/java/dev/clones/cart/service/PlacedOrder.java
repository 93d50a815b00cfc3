package dev.clones.cart.service;

import dev.clones.cart.repository.Order;

/** The order a checkout answers with; {@code replayed} when an earlier request with the same key made it. */
public record PlacedOrder(Order order, boolean replayed) {
}
