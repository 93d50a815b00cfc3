package dev.clones.cart.cart;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** 0 removes the line; below 0 is a 400, above the per-line limit a 422. */
public record SetQuantity(@NotNull @Min(value = 0, message = "must be 0 (removes the line) or more") Integer quantity) {
}
