package dev.clones.worker.repository;

/** One line of an order or a cart: what, how many, at which unit price (integer cents). */
public record OrderLine(String sku, String name, int quantity, long priceCents) {

    public long lineTotalCents() {
        return quantity * priceCents;
    }
}
