package dev.clones.cart.repository;

/** One line of an order, its name and price frozen at checkout. */
public record OrderLine(String sku, String name, int quantity, long priceCents) {
}
