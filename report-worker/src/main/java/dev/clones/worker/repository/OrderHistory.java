package dev.clones.worker.repository;

import java.util.List;

/** The newest orders of a user; {@code totalCount} tells how many there are in all. */
public record OrderHistory(List<StoredOrder> orders, long totalCount) {

    public boolean truncated() {
        return totalCount > orders.size();
    }
}
