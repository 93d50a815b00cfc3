package dev.clones.cart.cart;

import dev.clones.cart.catalogue.CatalogueCache;
import dev.clones.cart.catalogue.Product;
import dev.clones.cart.config.CartConfig;
import dev.clones.common.error.ApiProblem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * A user's cart: every change is one atomic script in Redis (limits and If-Match checked there),
 * and every answer is priced with the current catalogue.
 */
@ApplicationScoped
public class CartService {

    private final CartRepository carts;
    private final CatalogueCache catalogue;
    private final CartRepository.Limits limits;

    public CartService(CartRepository carts, CatalogueCache catalogue, CartConfig config) {
        this.carts = carts;
        this.catalogue = catalogue;
        this.limits = new CartRepository.Limits(config.limits().maxQuantity(), config.limits().maxLines(),
                config.expireAfterInactivity());
    }

    public Uni<PricedCart> get(String userId) {
        return Uni.combine().all().unis(carts.find(userId), catalogue.products()).asTuple()
                .map(both -> PricedCart.of(both.getItem1(), both.getItem2()));
    }

    /** Adds {@code quantity} (at least 1) units; the line may not exceed the per-line limit afterwards. */
    public Uni<PricedCart> add(String userId, String sku, int quantity, VersionCheck check) {
        requireKnownShape(sku);
        if (quantity > limits.maxQuantity()) {
            return Uni.createFrom().failure(ApiProblem.unprocessable("Quantity limit: at most " + limits.maxQuantity()
                    + " units of one product per cart, and " + quantity + " were asked for."));
        }
        return carts.add(userId, sku, quantity, limits, check).flatMap(update -> priced(update, sku, quantity, true));
    }

    /** Sets the quantity of a line; 0 removes it. */
    public Uni<PricedCart> set(String userId, String sku, int quantity, VersionCheck check) {
        requireKnownShape(sku);
        if (quantity > limits.maxQuantity()) {
            return Uni.createFrom().failure(ApiProblem.unprocessable("Quantity limit: at most " + limits.maxQuantity()
                    + " units of one product per cart, and " + quantity + " were asked for."));
        }
        return carts.set(userId, sku, quantity, limits, check).flatMap(update -> priced(update, sku, quantity, false));
    }

    /** Removes a line; removing a line that is not there is not an error (the answer is the cart). */
    public Uni<PricedCart> remove(String userId, String sku, VersionCheck check) {
        if (!Product.isWellFormedSku(sku)) {
            return get(userId); // no such line can exist: nothing to remove
        }
        return carts.remove(userId, sku, limits.expiry(), check).flatMap(update -> priced(update, sku, 0, false));
    }

    /** Empties the cart; answers the new version. */
    public Uni<Long> clear(String userId, VersionCheck check) {
        return carts.clear(userId, limits.expiry(), check).map(update -> {
            rejectIfStale(update);
            return update.cart().version();
        });
    }

    private Uni<PricedCart> priced(CartUpdate update, String sku, int quantity, boolean adding) {
        rejectIfStale(update);
        return switch (update.outcome()) {
            case APPLIED -> catalogue.products().map(products -> PricedCart.of(update.cart(), products));
            case UNKNOWN_SKU -> Uni.createFrom().failure(unknown(sku));
            case QUANTITY_LIMIT -> Uni.createFrom().failure(ApiProblem.unprocessable("Quantity limit: at most "
                    + limits.maxQuantity() + " units of one product per cart; the cart holds " + update.detail() + " of "
                    + sku + (adding ? ", and adding " + quantity + " would make " + (update.detail() + quantity) + "." : ".")));
            case LINE_LIMIT -> Uni.createFrom().failure(ApiProblem.unprocessable("Line limit: a cart holds at most "
                    + limits.maxLines() + " different products; remove one before adding " + sku + "."));
            case STALE -> throw new IllegalStateException("handled above");
        };
    }

    private static void rejectIfStale(CartUpdate update) {
        if (update.outcome() == CartUpdate.Outcome.STALE) {
            String etag = "\"" + update.detail() + "\"";
            throw new ApiProblem(412, "Precondition Failed", "The cart changed: it is at version " + update.detail()
                    + " (ETag " + etag + "), not the one named in If-Match. Read it again and retry.",
                    Map.of("ETag", etag));
        }
    }

    private static void requireKnownShape(String sku) {
        if (!Product.isWellFormedSku(sku)) {
            throw unknown(sku);
        }
    }

    private static ApiProblem unknown(String sku) {
        return ApiProblem.notFound("No product with sku '" + sku + "'.");
    }
}
