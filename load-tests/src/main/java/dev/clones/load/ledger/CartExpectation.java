package dev.clones.load.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What a shopper's cart must hold on the server, as far as the shopper can know. A change whose answer was
 * lost (a 5xx or a cut connection on a request that is not retried) may or may not have been applied: both
 * carts stay possible until the server shows one of them. A cart the server shows that is none of the
 * possible ones lost something; the difference is counted once and the server's cart becomes the new
 * expectation, so that one loss is not counted again at every later read.
 * <p>
 * A change in doubt may also land after the shopper saw a cart without it: a request the client gave up on
 * can still be waiting in the load balancer or running in a replica, and is applied when it gets its turn,
 * to whatever the cart holds then. So each change in doubt stays possible, on top of every later cart, until
 * the longest a request can live inside the system has passed ({@link #LATE_LANDING}) or a cart shows that
 * it landed. A server that really lost a write still shows it: a change the shopper saw answered is never in
 * doubt, and only the change in doubt itself can appear late, not an undo of anything else. The price: within
 * the window a change in doubt that a cart already showed applied would be accepted once more on top of it
 * (an add landing twice), so the checker errs towards not counting there.
 */
public final class CartExpectation {

    /** Lines of the expected cart the server lost (missing or another quantity), and lines nobody put in. */
    public record Difference(int lostLines, int unexpectedLines) {
        public static final Difference NONE = new Difference(0, 0);

        public boolean none() {
            return lostLines == 0 && unexpectedLines == 0;
        }
    }

    /** Bound of the possible carts: each unresolved change doubles them, and a cart read resolves them. */
    private static final int MAX_CANDIDATES = 64;

    /**
     * How long a request whose client gave up can still be applied: HAProxy's queue timeout (15 s) plus its
     * server timeout (60 s), the longest a request is held before it is sent or answered 504.
     */
    static final Duration LATE_LANDING = Duration.ofSeconds(75);

    /** A change in doubt that may still land, until the nanoTime deadline. */
    private record InDoubt(CartChange change, long deadline) {}

    private final LongSupplier nanoClock;
    private List<Map<String, Integer>> candidates = List.of(Map.of());
    private List<InDoubt> mayStillLand = List.of();

    public CartExpectation() {
        this(System::nanoTime);
    }

    CartExpectation(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    public synchronized void applied(CartChange change) {
        candidates = distinct(candidates.stream().map(change::applyTo).toList());
    }

    public synchronized void uncertain(CartChange change) {
        List<Map<String, Integer>> both = new ArrayList<>(candidates);
        candidates.forEach(cart -> both.add(change.applyTo(cart)));
        List<Map<String, Integer>> next = distinct(both);
        candidates = next.size() > MAX_CANDIDATES ? next.subList(next.size() - MAX_CANDIDATES, next.size()) : next;
        List<InDoubt> pending = new ArrayList<>(mayStillLand);
        pending.add(new InDoubt(change, nanoClock.getAsLong() + LATE_LANDING.toNanos()));
        mayStillLand = List.copyOf(pending);
    }

    /**
     * The server answered with this cart: compare, then expect exactly it from now on (with the changes in
     * doubt that may still land on top of it; one the server's cart shows landed is no longer pending).
     */
    public synchronized Difference observe(Map<String, Integer> server) {
        Closest closest = closest(server);
        if (closest.landedLate() != null) {
            mayStillLand = mayStillLand.stream().filter(p -> p != closest.landedLate()).toList();
        }
        candidates = List.of(Map.copyOf(server));
        return closest.difference();
    }

    /** The difference between the server's cart and the closest possible cart, without changing anything. */
    public synchronized Difference compare(Map<String, Integer> server) {
        return closest(server).difference();
    }

    /** The closest possible cart's difference, and the change in doubt whose late landing made it possible. */
    private record Closest(Difference difference, InDoubt landedLate) {
        int size() {
            return difference.lostLines() + difference.unexpectedLines();
        }
    }

    private Closest closest(Map<String, Integer> server) {
        long now = nanoClock.getAsLong();
        mayStillLand = mayStillLand.stream().filter(p -> now - p.deadline() < 0).toList();
        Closest best = null;
        for (Map<String, Integer> expected : candidates) {
            best = closer(best, new Closest(difference(expected, server), null));
            for (InDoubt late : mayStillLand) {
                best = closer(best, new Closest(difference(late.change().applyTo(expected), server), late));
            }
        }
        return best == null ? new Closest(Difference.NONE, null) : best;
    }

    private static Closest closer(Closest best, Closest other) {
        return best == null || other.size() < best.size() ? other : best;
    }

    public synchronized boolean isCertain() {
        return candidates.size() == 1;
    }

    /** Non-empty whatever happened to the changes in doubt: only then is a checkout sure to find something. */
    public synchronized boolean certainlyNonEmpty() {
        return candidates.stream().noneMatch(Map::isEmpty);
    }

    /** The largest quantity the line may have: an add must stay within the server's per-line limit. */
    public synchronized int maxQuantity(String sku) {
        return candidates.stream().mapToInt(cart -> cart.getOrDefault(sku, 0)).max().orElse(0);
    }

    /** Every sku that is in at least one possible cart. */
    public synchronized List<String> skus() {
        Set<String> skus = new LinkedHashSet<>();
        candidates.forEach(cart -> skus.addAll(cart.keySet()));
        return List.copyOf(skus);
    }

    public synchronized List<Map<String, Integer>> candidates() {
        return candidates;
    }

    static Difference difference(Map<String, Integer> expected, Map<String, Integer> server) {
        int lost = (int) expected.entrySet().stream()
                .filter(line -> !line.getValue().equals(server.get(line.getKey())))
                .count();
        int unexpected = (int) server.keySet().stream().filter(sku -> !expected.containsKey(sku)).count();
        return new Difference(lost, unexpected);
    }

    private static List<Map<String, Integer>> distinct(List<Map<String, Integer>> carts) {
        return List.copyOf(new LinkedHashSet<>(carts));
    }
}
