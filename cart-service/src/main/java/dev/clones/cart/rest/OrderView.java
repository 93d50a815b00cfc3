package dev.clones.cart.rest;

import dev.clones.cart.repository.Order;
import dev.clones.cart.repository.OrderLine;

import java.time.Instant;
import java.util.List;

/** An order as its owner sees it (the owner's id stays inside). */
public record OrderView(String id, List<OrderLine> items, long totalCents, Instant createdAt) {

    static OrderView of(Order order) {
        return new OrderView(order.id(), order.items(), order.totalCents(), order.createdAt());
    }
}
