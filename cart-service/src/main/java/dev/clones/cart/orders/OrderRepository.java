package dev.clones.cart.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clones.cart.RedisKeys;
import dev.clones.common.config.ClonesConfig;
import dev.clones.common.paging.Page;
import dev.clones.common.paging.PageRequest;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Orders in Redis, and the one script that turns a cart into an order. */
@ApplicationScoped
public class OrderRepository {

    private static final RedisScript PAGE = RedisScript.fromResource("lua/order-page.lua");
    private static final RedisScript CHECKOUT = RedisScript.fromResource("lua/checkout.lua");

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final ObjectMapper json;
    private final RedisCalls calls;

    public OrderRepository(ReactiveRedisDataSource redis, ObjectMapper json, ClonesConfig config) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.json = json;
        this.calls = new RedisCalls(config.redis());
    }

    /**
     * Checks the key and the cart, writes the order, records the key and empties the cart, all in one
     * atomic script: a crash at any instant leaves all of it or none of it, and racing requests with
     * the same key on any replicas make one order.
     */
    public Uni<CheckoutResult> checkout(String userId, String idempotencyKey, String newOrderId,
                                        Duration keyRetention, Duration cartExpiry) {
        return calls.confirmed(CHECKOUT, redis,
                        List.of(RedisKeys.cart(userId), RedisKeys.checkoutKey(userId, idempotencyKey),
                                RedisKeys.CATALOGUE, RedisKeys.userOrders(userId), RedisKeys.order(newOrderId)),
                        List.of(newOrderId, userId, Long.toString(keyRetention.toMillis()),
                                Long.toString(cartExpiry.toMillis()), RedisKeys.ORDER_PREFIX))
                .map(this::toResult);
    }

    /** One page of the user's orders, newest first (see order-page.lua for the cursor). */
    public Uni<Page<Order>> list(String userId, PageRequest page) {
        String after = page.cursor().map(OrderRepository::tailPosition).orElse("");
        return calls.bounded(PAGE.run(redis, List.of(RedisKeys.userOrders(userId)), List.of(Integer.toString(page.limit()), after)))
                .flatMap(answer -> {
                    List<String> ids = new ArrayList<>();
                    answer.get(0).forEach(id -> ids.add(id.toString()));
                    String next = answer.get(1).toString();
                    Optional<String> cursor = next.isEmpty() ? Optional.empty() : Optional.of(next);
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(new Page<Order>(List.of(), cursor));
                    }
                    return calls.bounded(values.mget(ids.stream().map(RedisKeys::order).toArray(String[]::new)))
                            .map(stored -> new Page<>(ids.stream()
                                    .map(id -> stored.get(RedisKeys.order(id)))
                                    .filter(Objects::nonNull)
                                    .map(this::read)
                                    .toList(), cursor));
                });
    }

    /** An order cursor is a tail position: a decimal number this service wrote; anything else is a 400. */
    private static String tailPosition(String cursor) {
        if (cursor.length() > 10 || !cursor.chars().allMatch(Character::isDigit)) {
            throw PageRequest.foreignCursor();
        }
        return cursor;
    }

    /** The order, or {@code null} when there is none with this id. */
    public Uni<Order> find(String orderId) {
        return calls.bounded(values.get(RedisKeys.order(orderId))).map(stored -> stored == null ? null : read(stored));
    }

    private CheckoutResult toResult(Response reply) {
        String outcome = reply.get(0).toString();
        return switch (outcome) {
            case "created" -> new CheckoutResult(CheckoutResult.Outcome.CREATED, read(reply.get(1).toString()), null);
            case "replayed" -> {
                if (reply.get(1) == null) {
                    throw new IllegalStateException("An idempotency key points to an order that does not exist");
                }
                yield new CheckoutResult(CheckoutResult.Outcome.REPLAYED, read(reply.get(1).toString()), null);
            }
            case "key-reused" -> new CheckoutResult(CheckoutResult.Outcome.KEY_REUSED, null, null);
            case "empty" -> new CheckoutResult(CheckoutResult.Outcome.EMPTY_CART, null, null);
            case "unknown-sku" -> new CheckoutResult(CheckoutResult.Outcome.UNKNOWN_SKU, null, reply.get(1).toString());
            default -> throw new IllegalStateException("Unexpected answer from the checkout script: " + outcome);
        };
    }

    private Order read(String stored) {
        try {
            StoredOrder order = json.readValue(stored, StoredOrder.class);
            return new Order(order.id(), order.userId(), order.items(), order.totalCents(),
                    Instant.ofEpochMilli(order.createdAt()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable order in Redis", e);
        }
    }

    /**
     * The JSON the checkout script writes (cjson); createdAt in epoch milliseconds from Redis's clock. Read with the
     * ObjectMapper directly, so registered for native images (Quarkus REST registers only what crosses HTTP).
     */
    @RegisterForReflection
    record StoredOrder(String id, String userId, List<OrderLine> items, long totalCents, long createdAt) {
    }
}
