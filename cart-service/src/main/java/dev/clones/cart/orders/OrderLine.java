package dev.clones.cart.orders;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One line of an order, its name and price frozen at checkout. Registered: part of the stored order read by hand. */
@RegisterForReflection
public record OrderLine(String sku, String name, int quantity, long priceCents) {
}
