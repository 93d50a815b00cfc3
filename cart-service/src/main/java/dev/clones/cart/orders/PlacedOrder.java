package dev.clones.cart.orders;


/** The order a checkout answers with; {@code replayed} when an earlier request with the same key made it. */
public record PlacedOrder(Order order, boolean replayed) {
}
