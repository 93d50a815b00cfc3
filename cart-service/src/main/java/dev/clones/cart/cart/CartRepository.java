package dev.clones.cart.cart;

import dev.clones.cart.RedisKeys;
import dev.clones.common.config.ClonesConfig;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Carts in Redis, one hash per user. Every change is one Lua script that checks and writes
 * atomically, so concurrent requests on any replicas never lose an update or pass a limit.
 */
@ApplicationScoped
public class CartRepository {

    /** The functions every cart script uses (snapshot, If-Match, line count), put in front of each. */
    private static final String PRELUDE = "lua/cart-prelude.lua";
    private static final RedisScript ADD = RedisScript.fromResources(PRELUDE, "lua/cart-add.lua");
    private static final RedisScript SET = RedisScript.fromResources(PRELUDE, "lua/cart-set.lua");
    private static final RedisScript REMOVE = RedisScript.fromResources(PRELUDE, "lua/cart-remove.lua");
    private static final RedisScript CLEAR = RedisScript.fromResources(PRELUDE, "lua/cart-clear.lua");

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final RedisCalls calls;

    public CartRepository(ReactiveRedisDataSource redis, ClonesConfig config) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.calls = new RedisCalls(config.redis());
    }

    /** The cart and its version, shown only once a replica has them (see {@link RedisCalls#confirmedRead}). */
    public Uni<Cart> find(String userId) {
        return calls.confirmedRead(redis, RedisKeys.cart(userId), hashes.hgetall(RedisKeys.cart(userId))).map(CartRepository::toCart);
    }

    public Uni<CartUpdate> add(String userId, String sku, int quantity, Limits limits, VersionCheck check) {
        return calls.confirmed(ADD, redis, List.of(RedisKeys.cart(userId), RedisKeys.CATALOGUE),
                        List.of(sku, Integer.toString(quantity), Integer.toString(limits.maxQuantity()),
                                Integer.toString(limits.maxLines()), millis(limits.expiry()), check.scriptArgument()))
                .map(CartRepository::toUpdate);
    }

    public Uni<CartUpdate> set(String userId, String sku, int quantity, Limits limits, VersionCheck check) {
        return calls.confirmed(SET, redis, List.of(RedisKeys.cart(userId), RedisKeys.CATALOGUE),
                        List.of(sku, Integer.toString(quantity), Integer.toString(limits.maxQuantity()),
                                Integer.toString(limits.maxLines()), millis(limits.expiry()), check.scriptArgument()))
                .map(CartRepository::toUpdate);
    }

    public Uni<CartUpdate> remove(String userId, String sku, Duration expiry, VersionCheck check) {
        return calls.confirmed(REMOVE, redis, List.of(RedisKeys.cart(userId)),
                        List.of(sku, millis(expiry), check.scriptArgument()))
                .map(CartRepository::toUpdate);
    }

    /** Empties the cart; the update's cart is empty at the new version. */
    public Uni<CartUpdate> clear(String userId, Duration expiry, VersionCheck check) {
        return calls.confirmed(CLEAR, redis, List.of(RedisKeys.cart(userId)), List.of(millis(expiry), check.scriptArgument()))
                .map(CartRepository::toUpdate);
    }

    /** The limits a script enforces, and the inactivity expiry it refreshes. */
    public record Limits(int maxQuantity, int maxLines, Duration expiry) {
    }

    static Cart toCart(Map<String, String> fields) {
        if (fields == null || fields.isEmpty()) {
            return Cart.EMPTY;
        }
        long version = 0;
        TreeMap<String, Integer> lines = new TreeMap<>();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (field.getKey().equals(RedisKeys.VERSION_FIELD)) {
                version = Long.parseLong(field.getValue());
            } else {
                lines.put(field.getKey(), Integer.parseInt(field.getValue()));
            }
        }
        return new Cart(version, lines);
    }

    /** Reads { 'ok', version, sku, quantity, ... } or { outcome, detail } from a cart script. */
    private static CartUpdate toUpdate(Response reply) {
        String outcome = reply.get(0).toString();
        long detail = reply.get(1).toLong();
        return switch (outcome) {
            case "ok" -> {
                TreeMap<String, Integer> lines = new TreeMap<>();
                for (int i = 2; i + 1 < reply.size(); i += 2) {
                    lines.put(reply.get(i).toString(), reply.get(i + 1).toInteger());
                }
                yield new CartUpdate(CartUpdate.Outcome.APPLIED, new Cart(detail, lines), detail);
            }
            case "stale" -> new CartUpdate(CartUpdate.Outcome.STALE, null, detail);
            case "unknown-sku" -> new CartUpdate(CartUpdate.Outcome.UNKNOWN_SKU, null, detail);
            case "quantity-limit" -> new CartUpdate(CartUpdate.Outcome.QUANTITY_LIMIT, null, detail);
            case "line-limit" -> new CartUpdate(CartUpdate.Outcome.LINE_LIMIT, null, detail);
            default -> throw new IllegalStateException("Unexpected answer from a cart script: " + outcome);
        };
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
