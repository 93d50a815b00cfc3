package dev.clones.cart;

/**
 * Where cart-service keeps its state in Redis; nothing of it lives in a replica. One class for the
 * whole service, above the feature packages, because their scripts cross: checkout reads the cart
 * and the catalogue, and every cart change checks the sku against the catalogue.
 *
 * <pre>
 * catalogue:products              hash    sku -> {"name":…,"priceCents":…}      seeded with HSETNX, changed by admins
 * cart:{userId}                   hash    sku -> quantity, _version -> n          expires after inactivity
 * checkout-key:{userId}:{key}     hash    order, fingerprint                      expires after the key retention
 * order:{orderId}                 string  the order as JSON (prices frozen)       kept
 * user-orders:{userId}            list    order ids, newest first                 kept
 * </pre>
 * Channels: {@code catalogue-changes} ("changeId sku"), {@code catalogue-changes.applied} ("changeId"),
 * {@code catalogue-changes.inbox.<random id>} (each replica's own heartbeats, see LiveSubscription).
 */
public final class RedisKeys {

    public static final String CATALOGUE = "catalogue:products";
    public static final String ORDER_PREFIX = "order:";

    /** The cart hash holds this next to the sku fields; skus cannot start with '_'. */
    public static final String VERSION_FIELD = "_version";

    private RedisKeys() {
    }

    public static String cart(String userId) {
        return "cart:" + userId;
    }

    public static String checkoutKey(String userId, String idempotencyKey) {
        return "checkout-key:" + userId + ":" + idempotencyKey;
    }

    public static String order(String orderId) {
        return ORDER_PREFIX + orderId;
    }

    public static String userOrders(String userId) {
        return "user-orders:" + userId;
    }
}
