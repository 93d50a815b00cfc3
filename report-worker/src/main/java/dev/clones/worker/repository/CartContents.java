package dev.clones.worker.repository;

import java.util.List;

/** A cart priced with the catalogue as it is now; {@code unknownSkus} are lines whose product has gone. */
public record CartContents(List<OrderLine> items, long totalCents, List<String> unknownSkus) {
}
