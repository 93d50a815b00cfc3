package dev.clones.cart.cart;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code quantity} below 1 is a malformed request (400); above the configurable per-line limit it is
 * a well-formed request the cart refuses (422).
 */
public record AddItem(
        @NotBlank @Size(max = 64) String sku,
        @NotNull @Min(value = 1, message = "must be at least 1 (to lower a quantity, PUT /api/cart/items/{sku})") Integer quantity) {
}
