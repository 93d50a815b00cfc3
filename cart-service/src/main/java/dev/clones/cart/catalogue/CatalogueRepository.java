package dev.clones.cart.catalogue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clones.cart.RedisKeys;
import dev.clones.common.config.ClonesConfig;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** The catalogue in Redis: one hash, sku -> product JSON. Changes are announced on a pub/sub channel. */
@ApplicationScoped
public class CatalogueRepository {

    private static final RedisScript SEED = RedisScript.fromResource("lua/catalogue-seed.lua");
    private static final RedisScript UPDATE = RedisScript.fromResource("lua/catalogue-update.lua");

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ObjectMapper json;
    private final RedisCalls calls;

    public CatalogueRepository(ReactiveRedisDataSource redis, ObjectMapper json, ClonesConfig config) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.json = json;
        this.calls = new RedisCalls(config.redis());
    }

    /** Every product, by sku. */
    public Uni<SortedMap<String, Product>> all() {
        return calls.bounded(hashes.hgetall(RedisKeys.CATALOGUE)).map(fields -> {
            SortedMap<String, Product> products = new TreeMap<>();
            fields.forEach((sku, stored) -> products.put(sku, read(sku, stored)));
            return Collections.unmodifiableSortedMap(products);
        });
    }

    /** Adds the products that are missing, never overwriting; answers how many were added. */
    public Uni<Integer> seed(List<Product> products, String channel, String changeId) {
        List<String> args = new ArrayList<>(2 + 2 * products.size());
        args.add(channel);
        args.add(changeId);
        for (Product product : products) {
            args.add(product.sku());
            args.add(write(product));
        }
        return calls.bounded(SEED.run(redis, List.of(RedisKeys.CATALOGUE), args)).map(added -> added.toInteger());
    }

    /**
     * Changes an existing product and announces it on {@code channel} in the same atomic step.
     * Answers how many subscribers heard the announcement, or -1 when there is no such product.
     */
    public Uni<Integer> update(Product product, String channel, String changeId) {
        return calls.confirmed(UPDATE, redis, List.of(RedisKeys.CATALOGUE),
                        List.of(product.sku(), write(product), channel, changeId))
                .map(receivers -> receivers.toInteger());
    }

    private Product read(String sku, String stored) {
        try {
            StoredProduct product = json.readValue(stored, StoredProduct.class);
            return new Product(sku, product.name(), product.priceCents());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable catalogue entry for " + sku, e);
        }
    }

    private String write(Product product) {
        try {
            return json.writeValueAsString(new StoredProduct(product.name(), product.priceCents()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value stored per sku; the Lua of checkout reads the same two fields. Registered: written and read by hand. */
    @RegisterForReflection
    record StoredProduct(String name, long priceCents) {
    }
}
