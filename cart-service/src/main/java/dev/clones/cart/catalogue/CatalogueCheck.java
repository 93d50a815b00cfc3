package dev.clones.cart.catalogue;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the catalogue is in Redis. Whether the {@link CatalogueCache}'s copy is in use is shown
 * but does not matter for readiness: without it the replica reads Redis, which is slower, not wrong.
 */
@Readiness
@ApplicationScoped
public class CatalogueCheck implements HealthCheck {

    private final CatalogueSeeder seeder;
    private final CatalogueChangeFeed feed;

    public CatalogueCheck(CatalogueSeeder seeder, CatalogueChangeFeed feed) {
        this.seeder = seeder;
        this.feed = feed;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("catalogue")
                .status(seeder.isSeeded())
                .withData("seeded", seeder.isSeeded())
                .withData("inMemoryCopyInUse", feed.isLive())
                .build();
    }
}
