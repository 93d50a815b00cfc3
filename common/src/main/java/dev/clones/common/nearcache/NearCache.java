package dev.clones.common.nearcache;

import io.smallrye.mutiny.Uni;

import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Copies of Redis keys under one prefix, in this replica's memory, kept only while they provably are
 * not stale. Made by {@link NearCacheFeed#cache}, which drops a key here when Redis says it changed
 * and everything when the invalidation connection is lost or renewed.
 *
 * <ul>
 * <li>A value is served only while the feed is live, and only if it was stored in the current
 *     generation: losing or renewing the connection moves the generation on before anything else.</li>
 * <li>A load first puts a ticket for its key; an invalidation of the key removes the ticket, and the
 *     loaded value is stored only in place of its own ticket. So a read that raced a change of its key
 *     (whose invalidation may arrive before or after the read's reply) is never kept.</li>
 * </ul>
 *
 * @param <V> what is kept per key; immutable
 */
public final class NearCache<V> {

    private final String keyPrefix;
    private final int maxEntries;
    private final BooleanSupplier live;
    private final ConcurrentHashMap<String, Object> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    NearCache(String keyPrefix, int maxEntries, BooleanSupplier live) {
        this.keyPrefix = keyPrefix;
        this.maxEntries = maxEntries;
        this.live = live;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    /** The value kept for the Redis key {@code key}, if there is one and it is provably current. */
    public Optional<V> get(String key) {
        if (!live.getAsBoolean()) {
            return Optional.empty();
        }
        return entries.get(key) instanceof Entry<?> entry && entry.generation() == generation.get()
                ? Optional.of(value(entry))
                : Optional.empty();
    }

    /**
     * Runs {@code loader} (a read of {@code key} from Redis) and keeps what it answers, unless the key
     * changed, or the feed was not live, at any moment between the start of the load and its end.
     */
    public Uni<Optional<V>> load(String key, Uni<Optional<V>> loader) {
        if (!live.getAsBoolean()) {
            return loader;
        }
        long startedIn = generation.get();
        Ticket ticket = new Ticket();
        if (entries.size() >= maxEntries) {
            evictSome();
        }
        entries.put(key, ticket);
        return loader
                .invoke(loaded -> {
                    if (loaded.isPresent() && generation.get() == startedIn) {
                        entries.replace(key, ticket, new Entry<>(startedIn, loaded.get()));
                    } else {
                        entries.remove(key, ticket);
                    }
                })
                .onFailure().invoke(() -> entries.remove(key, ticket));
    }

    public int size() {
        return entries.size();
    }

    void invalidate(String key) {
        entries.remove(key);
    }

    void invalidateAll() {
        generation.incrementAndGet();
        entries.clear();
    }

    private void evictSome() {
        int toDrop = Math.max(1, maxEntries / 8);
        Iterator<String> keys = entries.keySet().iterator();
        while (toDrop-- > 0 && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }

    @SuppressWarnings("unchecked")
    private V value(Entry<?> entry) {
        return (V) entry.value();
    }

    private record Entry<V>(long generation, V value) {
    }

    /** Identity only: a load may replace its own ticket and nothing else. */
    private static final class Ticket {
    }
}
