package dev.clones.cart.catalogue;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record ProductUpdate(
        @NotBlank @Size(max = 100) String name,
        @NotNull @Min(0) @Max(10_000_000) Integer priceCents) {
}
