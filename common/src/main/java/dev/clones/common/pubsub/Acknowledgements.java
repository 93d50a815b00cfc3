package dev.clones.common.pubsub;

import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Collects the confirmations of a broadcast, for a caller that answers only once every replica has
 * acted on a change: either so many receivers (as PUBLISH counted them) or a known set of them. A
 * replica may confirm before the caller knows whom to wait for, so a broadcast is opened before it
 * is published.
 */
public final class Acknowledgements {

    /** What became of a broadcast: every receiver confirmed, or the wait ended first. */
    public sealed interface Outcome {
        record AllConfirmed(int receivers) implements Outcome {
        }

        record TimedOut(int confirmed, int receivers) implements Outcome {
        }
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /** Opens a broadcast; its id goes into the message, receivers confirm it with {@link #confirm}. */
    public String open() {
        String id = UUID.randomUUID().toString();
        pending.put(id, new Pending());
        return id;
    }

    /** A receiver confirmed without saying who: each call counts once. Unknown ids (late, another replica's) are ignored. */
    public void confirm(String id) {
        confirm(id, UUID.randomUUID().toString());
    }

    /** Receiver {@code from} confirmed; a repeated confirmation counts once. */
    public void confirm(String id, String from) {
        Pending p = pending.get(id);
        if (p != null) {
            p.confirm(from);
        }
    }

    /** Waits until {@code receivers} confirmed or {@code timeout} passed, then forgets the broadcast. */
    public Uni<Outcome> await(String id, int receivers, Duration timeout) {
        return await(id, receivers, confirmed -> confirmed.size() >= receivers, timeout);
    }

    /** Waits until every one of {@code receivers} confirmed or {@code timeout} passed, then forgets the broadcast. */
    public Uni<Outcome> await(String id, Set<String> receivers, Duration timeout) {
        Set<String> wanted = Set.copyOf(receivers);
        return await(id, wanted.size(), confirmed -> confirmed.containsAll(wanted), timeout);
    }

    /** Forgets a broadcast that was never published (its publish failed). */
    public void abandon(String id) {
        pending.remove(id);
    }

    private Uni<Outcome> await(String id, int receivers, Predicate<Set<String>> complete, Duration timeout) {
        Pending p = pending.get(id);
        if (p == null) {
            return Uni.createFrom().failure(new IllegalStateException("No open broadcast " + id));
        }
        return Uni.createFrom().completionStage(p.await(complete))
                .<Outcome>map(ignored -> new Outcome.AllConfirmed(receivers))
                .ifNoItem().after(timeout).recoverWithItem(() -> new Outcome.TimedOut(p.count(), receivers))
                .eventually(() -> pending.remove(id));
    }

    private static final class Pending {
        private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile Predicate<Set<String>> complete;

        void confirm(String from) {
            confirmed.add(from);
            check();
        }

        int count() {
            return confirmed.size();
        }

        CompletableFuture<Void> await(Predicate<Set<String>> until) {
            complete = until;
            check();
            return done;
        }

        private void check() {
            Predicate<Set<String>> until = complete;
            if (until != null && until.test(confirmed)) {
                done.complete(null);
            }
        }
    }
}
