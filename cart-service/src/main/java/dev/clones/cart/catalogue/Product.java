package dev.clones.cart.catalogue;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.regex.Pattern;

/** A product of the catalogue, as clients see it. Registered for native images: CatalogueSeeder reads the bundled JSON itself. */
@RegisterForReflection
public record Product(String sku, String name, long priceCents) {

    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** A sku that cannot exist is refused before any Redis call (and can never clash with the cart's own fields). */
    public static boolean isWellFormedSku(String sku) {
        return sku != null && SKU.matcher(sku).matches();
    }
}
