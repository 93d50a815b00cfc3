package dev.clones.auth.service;

import dev.clones.auth.config.AuthConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * bcrypt through Elytron (no hand-rolled crypto). Hashing is deliberately slow, so it runs on
 * worker threads, never on the event loop that serves other requests.
 */
@ApplicationScoped
public class PasswordHasher {

    private final int cost;
    /** Checked against when the email is unknown, so that both failures cost the same time. */
    private final String decoyHash;

    public PasswordHasher(AuthConfig config) {
        this.cost = config.password().bcryptCost();
        this.decoyHash = BcryptUtil.bcryptHash("decoy-password-for-unknown-accounts", cost);
    }

    public Uni<String> hash(String password) {
        return offload(() -> BcryptUtil.bcryptHash(password, cost));
    }

    /** Verifies against {@code hash}, or against a decoy when there is no user, and says whether it matched. */
    public Uni<Boolean> verify(String password, String hash) {
        return offload(() -> {
            if (hash == null) {
                BcryptUtil.matches(password, decoyHash);
                return false;
            }
            return BcryptUtil.matches(password, hash);
        });
    }

    private static <T> Uni<T> offload(java.util.function.Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
