package dev.clones.cart.orders;


import java.time.Instant;
import java.util.List;

/** An order as its owner sees it (the owner's id stays inside). */
public record OrderView(String id, List<OrderLine> items, long totalCents, Instant createdAt) {

    public static OrderView of(Order order) {
        return new OrderView(order.id(), order.items(), order.totalCents(), order.createdAt());
    }
}
