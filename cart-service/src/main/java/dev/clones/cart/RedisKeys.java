package dev.clones.cart;

import dev.clones.contracts.ShopKeys;

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
 *
 * <p>The keys report-worker reads (catalogue, carts, orders) are named in the contracts module's {@link ShopKeys},
 * which both services compile against; the ones only cart-service reads are named here.
 */
public final class RedisKeys {

    public static final String CATALOGUE = ShopKeys.CATALOGUE;
    public static final String ORDER_PREFIX = ShopKeys.ORDER_PREFIX;

    /** The cart hash holds this next to the sku fields; skus cannot start with '_'. */
    public static final String VERSION_FIELD = ShopKeys.CART_VERSION_FIELD;

    private RedisKeys() {
    }

    public static String cart(String userId) {
        return ShopKeys.cart(userId);
    }

    public static String checkoutKey(String userId, String idempotencyKey) {
        return "checkout-key:" + userId + ":" + idempotencyKey;
    }

    public static String order(String orderId) {
        return ShopKeys.order(orderId);
    }

    public static String userOrders(String userId) {
        return ShopKeys.userOrders(userId);
    }
}
