package dev.clones.cart.repository;

/**
 * Where cart-service keeps its state in Redis; nothing of it lives in a replica.
 *
 * <pre>
 * catalogue:products              hash    sku -> {"name":…,"priceCents":…}      seeded with HSETNX, changed by admins
 * cart:{userId}                   hash    sku -> quantity, _version -> n          expires after inactivity
 * checkout-key:{userId}:{key}     hash    order, fingerprint                      expires after the key retention
 * order:{orderId}                 string  the order as JSON (prices frozen)       kept
 * user-orders:{userId}            list    order ids, newest first                 kept
 * </pre>
 * Channels: {@code catalogue-changes} ("changeId sku"), {@code catalogue-changes.applied} ("changeId"),
 * {@code catalogue-changes.heartbeat.<replica nonce>}.
 */
final class RedisKeys {

    static final String CATALOGUE = "catalogue:products";
    static final String ORDER_PREFIX = "order:";

    /** The cart hash holds this next to the sku fields; skus cannot start with '_'. */
    static final String VERSION_FIELD = "_version";

    private RedisKeys() {
    }

    static String cart(String userId) {
        return "cart:" + userId;
    }

    static String checkoutKey(String userId, String idempotencyKey) {
        return "checkout-key:" + userId + ":" + idempotencyKey;
    }

    static String order(String orderId) {
        return ORDER_PREFIX + orderId;
    }

    static String userOrders(String userId) {
        return "user-orders:" + userId;
    }
}
