package dev.clones.auth.service;

import dev.clones.auth.config.AuthConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;

/**
 * Seeds the configured admin when absent. Every replica tries at start-up; the create is
 * atomic in Redis, so N replicas make one account, and an existing admin is left untouched.
 * Retries in the background while Redis is away, so a replica can start before Redis does.
 */
@ApplicationScoped
public class AdminSeeder {

    private static final Logger LOG = Logger.getLogger(AdminSeeder.class);

    private final AuthConfig.SeedAdmin config;
    private final AccountService accounts;

    public AdminSeeder(AuthConfig config, AccountService accounts) {
        this.config = config.seedAdmin();
        this.accounts = accounts;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.email().isEmpty() || config.password().isEmpty()) {
            return;
        }
        String email = config.email().get();
        Uni.createFrom().deferred(() -> accounts.create(email, config.password().get(), config.displayName(), Set.of("admin", "user")))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .subscribe().with(
                        created -> LOG.infof(created != null ? "Seeded admin %s" : "Admin %s already exists", email),
                        failure -> LOG.errorf(failure, "Could not seed admin %s", email));
    }
}
