package dev.clones.cart.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Everything cart-service can be tuned with ({@code CART_LIMITS_MAX_QUANTITY}, ...). Nothing here is
 * per-replica state: replicas given the same values answer the same.
 */
@ConfigMapping(prefix = "cart")
public interface CartConfig {

    Limits limits();

    /** A cart nobody changed for this long is deleted by Redis; every change starts the period again. */
    @WithDefault("P30D")
    Duration expireAfterInactivity();

    Checkout checkout();

    Catalogue catalogue();

    interface Limits {
        /** Most units of one product in a cart, also after an add (1..this). */
        @WithDefault("99")
        int maxQuantity();

        /** Most different products in one cart. */
        @WithDefault("100")
        int maxLines();
    }

    interface Checkout {
        /** How long an Idempotency-Key keeps answering with the order it made. */
        @WithDefault("P1D")
        Duration idempotencyKeyRetention();

        /** Longest Idempotency-Key accepted (characters A-Z a-z 0-9 . _ : -). */
        @WithDefault("128")
        int maxIdempotencyKeyLength();
    }

    interface Catalogue {
        /**
         * Pub/sub channel on which a product change is announced; replicas drop their in-memory copy
         * of the catalogue when they hear it. Acknowledgements and heartbeats use channels named after it.
         */
        @WithDefault("catalogue-changes")
        String changesChannel();

        /**
         * How long an admin's product change waits for every subscribed replica to confirm it dropped its
         * copy before answering. The change is committed either way; a replica that does not confirm in
         * time has lost its subscription and stops using its copy on its own.
         */
        @WithDefault("PT1S")
        Duration propagationTimeout();

        /**
         * Each replica publishes to itself this often; a subscription that has not echoed for twice this
         * plus the Redis call timeout is treated as dead (the copy is dropped and not used until resubscribed).
         */
        @WithDefault("PT1S")
        Duration heartbeatInterval();
    }
}
