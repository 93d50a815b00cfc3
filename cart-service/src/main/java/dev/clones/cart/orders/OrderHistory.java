package dev.clones.cart.orders;

import dev.clones.common.error.ApiProblem;
import dev.clones.common.paging.Page;
import dev.clones.common.paging.PageRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.regex.Pattern;

/** A user's past orders. Another user's order is answered exactly like a missing one. */
@ApplicationScoped
public class OrderHistory {

    private static final Pattern ORDER_ID = Pattern.compile("[0-9a-f-]{36}");

    private final OrderRepository orders;

    public OrderHistory(OrderRepository orders) {
        this.orders = orders;
    }

    public Uni<Page<Order>> list(String userId, PageRequest page) {
        return orders.list(userId, page);
    }

    public Uni<Order> find(String userId, String orderId) {
        if (!ORDER_ID.matcher(orderId).matches()) {
            return Uni.createFrom().failure(missing(orderId));
        }
        return orders.find(orderId).map(order -> {
            if (order == null || !order.userId().equals(userId)) {
                throw missing(orderId);
            }
            return order;
        });
    }

    private static ApiProblem missing(String orderId) {
        return ApiProblem.notFound("You have no order " + orderId + ".");
    }
}
