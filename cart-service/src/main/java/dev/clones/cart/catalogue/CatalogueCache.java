package dev.clones.cart.catalogue;

import dev.clones.cart.config.CartConfig;
import dev.clones.common.error.ApiProblem;
import dev.clones.common.pubsub.Acknowledgements;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This replica's in-memory copy of the catalogue, kept live by the {@link CatalogueChangeFeed}: the
 * catalogue is read on every cart call, so each replica caches it. The copy is a cache of Redis,
 * never a source of truth, and it is used only while it provably is not stale:
 *
 * <ul>
 * <li>every change is published in the same Lua script that writes it, and every replica drops its
 *     copy when the message arrives (no TTL);</li>
 * <li>the copy is used only while the pub/sub subscription is known to be live; a replica that lost
 *     it reads Redis instead, and drops the copy when it resubscribes (it may have missed changes);</li>
 * <li>each copy is stamped with the generation current when its load started; any change, loss or
 *     resubscription moves the generation on, so a load that raced a change is never used;</li>
 * <li>an admin's change answers only once every subscribed replica has confirmed it dropped its copy,
 *     so a read through any replica after the answer sees the new product.</li>
 * </ul>
 */
@ApplicationScoped
public class CatalogueCache implements CatalogueChangeFeed.Listener {

    private static final Logger LOG = Logger.getLogger(CatalogueCache.class);

    private final CatalogueRepository repository;
    private final CatalogueChangeFeed feed;
    private final Duration propagationTimeout;
    private final AtomicLong generation = new AtomicLong();
    private final Acknowledgements acknowledgements = new Acknowledgements();
    private volatile Copy copy;

    public CatalogueCache(CatalogueRepository repository, CatalogueChangeFeed feed, CartConfig config) {
        this.repository = repository;
        this.feed = feed;
        this.propagationTimeout = config.catalogue().propagationTimeout();
    }

    void onStart(@Observes StartupEvent event) {
        feed.start(this);
    }

    /** Every product, by sku. */
    public Uni<SortedMap<String, Product>> products() {
        // Liveness first, then the generation: a resubscription moves the generation before it turns live.
        if (feed.isLive()) {
            Copy current = copy;
            if (current != null && current.generation() == generation.get()) {
                return Uni.createFrom().item(current.products());
            }
        }
        long loadedAt = generation.get();
        return repository.all().invoke(products -> copy = new Copy(loadedAt, products));
    }

    public Uni<List<Product>> list() {
        return products().map(products -> List.copyOf(products.values()));
    }

    public Uni<Product> find(String sku) {
        return products().map(products -> {
            Product product = Product.isWellFormedSku(sku) ? products.get(sku) : null;
            if (product == null) {
                throw unknown(sku);
            }
            return product;
        });
    }

    /**
     * Changes the name and price of an existing product (404 otherwise: products are created only by
     * the bundled catalogue). Answers once every subscribed replica dropped its copy, or after the
     * propagation timeout, the change being committed either way.
     */
    public Uni<Product> update(String sku, String name, long priceCents) {
        if (!Product.isWellFormedSku(sku)) {
            return Uni.createFrom().failure(unknown(sku));
        }
        Product product = new Product(sku, name, priceCents);
        String changeId = acknowledgements.open();
        return repository.update(product, feed.changesChannel(), changeId)
                .onFailure().invoke(() -> acknowledgements.abandon(changeId))
                .flatMap(receivers -> {
                    // Whatever this replica's subscription does, it never serves the old product again.
                    drop();
                    if (receivers < 0) {
                        acknowledgements.abandon(changeId);
                        throw unknown(sku);
                    }
                    return acknowledgements.await(changeId, receivers, propagationTimeout).invoke(outcome -> {
                        if (outcome instanceof Acknowledgements.Outcome.TimedOut late) {
                            LOG.warnf("Only %d of %d replicas confirmed the change of %s within %s; the others are not using their copy",
                                    late.confirmed(), late.receivers(), sku, propagationTimeout);
                        }
                    });
                })
                .replaceWith(product);
    }

    @Override
    public void subscribed() {
        drop();
    }

    @Override
    public void unsubscribed() {
        drop();
    }

    @Override
    public void productChanged(String changeId, String sku) {
        drop();
    }

    @Override
    public void changeApplied(String changeId) {
        acknowledgements.confirm(changeId);
    }

    private void drop() {
        generation.incrementAndGet();
        copy = null;
    }

    private static ApiProblem unknown(String sku) {
        return ApiProblem.notFound("No product with sku '" + sku + "'.");
    }

    private record Copy(long generation, SortedMap<String, Product> products) {
    }
}
