package dev.clones.load.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a shopper's cart must hold on the server, as far as the shopper can know. A change whose answer was
 * lost (a 5xx or a cut connection on a request that is not retried) may or may not have been applied: both
 * carts stay possible until the server shows one of them. A cart the server shows that is none of the
 * possible ones lost something; the difference is counted once and the server's cart becomes the new
 * expectation, so that one loss is not counted again at every later read.
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

    private List<Map<String, Integer>> candidates = List.of(Map.of());

    public synchronized void applied(CartChange change) {
        candidates = distinct(candidates.stream().map(change::applyTo).toList());
    }

    public synchronized void uncertain(CartChange change) {
        List<Map<String, Integer>> both = new ArrayList<>(candidates);
        candidates.forEach(cart -> both.add(change.applyTo(cart)));
        List<Map<String, Integer>> next = distinct(both);
        candidates = next.size() > MAX_CANDIDATES ? next.subList(next.size() - MAX_CANDIDATES, next.size()) : next;
    }

    /** The server answered with this cart: compare, then expect exactly it from now on. */
    public synchronized Difference observe(Map<String, Integer> server) {
        Difference difference = compare(server);
        candidates = List.of(Map.copyOf(server));
        return difference;
    }

    /** The difference between the server's cart and the closest possible cart, without changing anything. */
    public synchronized Difference compare(Map<String, Integer> server) {
        return candidates.stream()
                .map(expected -> difference(expected, server))
                .min(Comparator.comparingInt(d -> d.lostLines() + d.unexpectedLines()))
                .orElse(Difference.NONE);
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
