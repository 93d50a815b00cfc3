package dev.clones.worker.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clones.contracts.ShopKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads a user's orders and cart where cart-service keeps them (read-only; this is the one place in the
 * worker that knows cart-service's key layout, documented in cart-service's {@code RedisKeys}):
 *
 * <pre>
 * user-orders:{userId}      list    order ids, newest first
 * order:{orderId}           string  {"id","userId","items":[{"sku","name","quantity","priceCents"}],"totalCents","createdAt"(ms)}
 * cart:{userId}             hash    sku -> quantity, _version -> n
 * catalogue:products        hash    sku -> {"name","priceCents"}
 * </pre>
 */
@ApplicationScoped
public class ShopDataRepository {

    private static final int MGET_BATCH = 500;

    private final RedisDataSource redis;
    private final ObjectMapper json;

    public ShopDataRepository(RedisDataSource redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
    }

    /** The user's newest {@code max} orders, newest first. */
    public OrderHistory orders(String userId, int max) {
        String index = ShopKeys.userOrders(userId);
        long count = redis.list(String.class).llen(index);
        List<String> ids = redis.list(String.class).lrange(index, 0, max - 1L);
        List<StoredOrder> orders = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += MGET_BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + MGET_BATCH));
            Map<String, String> values = redis.value(String.class).mget(batch.stream().map(ShopKeys::order).toArray(String[]::new));
            for (String id : batch) {
                String raw = values.get(ShopKeys.order(id));
                if (raw != null) {
                    orders.add(order(id, raw));
                }
            }
        }
        orders.sort(Comparator.comparing(StoredOrder::createdAt).reversed());
        return new OrderHistory(orders, count);
    }

    /** The user's cart, priced with today's catalogue. */
    public CartContents cart(String userId) {
        Map<String, String> fields = redis.hash(String.class).hgetall(ShopKeys.cart(userId));
        List<String> skus = fields.keySet().stream().filter(sku -> !sku.equals(ShopKeys.CART_VERSION_FIELD)).sorted().toList();
        List<OrderLine> lines = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        long total = 0;
        if (!skus.isEmpty()) {
            Map<String, String> products = redis.hash(String.class).hmget(ShopKeys.CATALOGUE, skus.toArray(String[]::new));
            for (String sku : skus) {
                String product = products.get(sku);
                if (product == null) {
                    unknown.add(sku);
                    continue;
                }
                JsonNode node = parse(product, "product " + sku);
                OrderLine line = new OrderLine(sku, node.path("name").asText(sku),
                        Integer.parseInt(fields.get(sku)), node.path("priceCents").asLong());
                lines.add(line);
                total += line.lineTotalCents();
            }
        }
        return new CartContents(lines, total, unknown);
    }

    private StoredOrder order(String id, String raw) {
        JsonNode node = parse(raw, "order " + id);
        List<OrderLine> items = new ArrayList<>();
        for (JsonNode item : node.path("items")) {
            items.add(new OrderLine(item.path("sku").asText(), item.path("name").asText(item.path("sku").asText()),
                    item.path("quantity").asInt(), item.path("priceCents").asLong()));
        }
        return new StoredOrder(node.path("id").asText(id), Instant.ofEpochMilli(node.path("createdAt").asLong()),
                items, node.path("totalCents").asLong());
    }

    private JsonNode parse(String raw, String what) {
        try {
            return json.readTree(raw);
        } catch (IOException e) {
            throw new IllegalStateException("Unreadable " + what + " in Redis: " + e.getMessage());
        }
    }
}
