package dev.clones.cart.catalogue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Seeds the catalogue from the bundled {@code catalogue.json} when products are missing. Every replica
 * tries at start-up; HSETNX in one script makes one catalogue whatever the number of replicas, and
 * never overwrites a product an admin changed. Retries in the background while Redis is away; the
 * replica is not ready until the catalogue is there.
 */
@ApplicationScoped
public class CatalogueSeeder {

    private static final Logger LOG = Logger.getLogger(CatalogueSeeder.class);
    static final String BUNDLED = "catalogue.json";

    private final CatalogueRepository repository;
    private final CatalogueChangeFeed feed;
    private final ObjectMapper json;
    private volatile boolean seeded;

    public CatalogueSeeder(CatalogueRepository repository, CatalogueChangeFeed feed, ObjectMapper json) {
        this.repository = repository;
        this.feed = feed;
        this.json = json;
    }

    void onStart(@Observes StartupEvent event) {
        List<Product> products = bundled();
        Uni.createFrom().deferred(() -> repository.seed(products, feed.changesChannel(), UUID.randomUUID().toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .subscribe().with(
                        added -> {
                            seeded = true;
                            LOG.infof("Catalogue seeded: %d of %d bundled products added, the others were there", added, products.size());
                        },
                        failure -> LOG.errorf(failure, "Could not seed the catalogue"));
    }

    public boolean isSeeded() {
        return seeded;
    }

    private List<Product> bundled() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + BUNDLED + " on the classpath");
            }
            List<Product> products = json.readValue(in, new TypeReference<List<Product>>() { });
            for (Product product : products) {
                if (!Product.isWellFormedSku(product.sku())) {
                    throw new IllegalStateException("Bundled product with an invalid sku: " + product.sku());
                }
            }
            return products;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
