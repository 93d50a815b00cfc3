package dev.clones.auth.service;

import dev.clones.auth.config.AuthConfig;
import dev.clones.common.error.ApiProblem;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * bcrypt through Elytron (no hand-rolled crypto). Hashing is deliberately slow and CPU-bound, so it
 * runs on its own pool of one thread per core with a bounded queue. On the shared worker pool, a
 * hundred concurrent logins got a hundred threads and starved the two event loops: requests that
 * hash nothing (a session check, a Redis reply) timed out behind them. Past the queue a login
 * answers 503 at once, which a client can retry, rather than after it has given up.
 */
@ApplicationScoped
public class PasswordHasher {

    private final int cost;
    /** Checked against when the email is unknown, so that both failures cost the same time. */
    private final String decoyHash;
    private final ExecutorService hashing;

    public PasswordHasher(AuthConfig config) {
        this.cost = config.password().bcryptCost();
        this.decoyHash = BcryptUtil.bcryptHash("decoy-password-for-unknown-accounts", cost);
        int threads = config.password().hashingThreads().orElse(Runtime.getRuntime().availableProcessors());
        AtomicInteger created = new AtomicInteger();
        this.hashing = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.password().hashingQueue()), work -> {
                    Thread thread = new Thread(work, "password-hashing-" + created.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
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

    <T> Uni<T> offload(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(hashing)
                .onFailure(RejectedExecutionException.class)
                .transform(full -> ApiProblem.unavailable("Too many logins and registrations at once; retry in a second"));
    }

    @PreDestroy
    void stop() {
        hashing.shutdownNow();
    }
}
