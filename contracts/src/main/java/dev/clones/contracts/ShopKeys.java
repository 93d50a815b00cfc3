package dev.clones.contracts;

/**
 * The Redis keys of cart-service that report-worker reads to render a report (cart-service writes them; the worker
 * only reads). cart-service names its keys through this class too, so a renamed key breaks the build, not a report.
 * The values' shapes are in docs/architecture.md.
 */
public final class ShopKeys {

    /** Hash sku → {@code {"name":…,"priceCents":…}}: the product list. */
    public static final String CATALOGUE = "catalogue:products";
    /** Prefix of {@code order:{orderId}}, a string holding the order as JSON (prices frozen at checkout). */
    public static final String ORDER_PREFIX = "order:";
    /** The cart hash holds its version in this field, next to the sku fields; skus cannot start with '_'. */
    public static final String CART_VERSION_FIELD = "_version";

    private ShopKeys() {
    }

    /** Hash sku → quantity (and {@code _version}): a user's cart. */
    public static String cart(String userId) {
        return "cart:" + userId;
    }

    public static String order(String orderId) {
        return ORDER_PREFIX + orderId;
    }

    /** List of order ids, newest first. */
    public static String userOrders(String userId) {
        return "user-orders:" + userId;
    }
}
