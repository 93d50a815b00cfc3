package dev.clones.load.ledger;

import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every shopper of one run, for the checks at its end, and the accounts made before it. An account
 * made before the run and never taken by a virtual user is not a shopper: nobody used it, so the
 * checks have nothing to compare.
 */
public final class Ledger {

    private final ConcurrentHashMap<Integer, Shopper> shoppers = new ConcurrentHashMap<>();
    private final Queue<Shopper> seeded = new ConcurrentLinkedQueue<>();
    private final AtomicInteger next = new AtomicInteger();
    private final String runId;

    public Ledger(String runId) {
        this.runId = runId;
    }

    /** A shopper with an email no earlier run used and a password of its own, not registered yet. */
    public Shopper newShopper() {
        Shopper shopper = account();
        shoppers.put(shopper.number(), shopper);
        return shopper;
    }

    /** An account to register before the run; {@link #seeded(Shopper)} puts it in the pool once it exists. */
    public Shopper account() {
        int number = next.incrementAndGet();
        String email = "load-" + runId + "-" + number + "@example.com";
        return new Shopper(number, email, "pw-" + UUID.randomUUID(), number % 2 == 0);
    }

    /** The account exists: a virtual user arriving later may take it and only log in. */
    public void seeded(Shopper account) {
        account.registered(true);
        seeded.add(account);
    }

    public int seededLeft() {
        return seeded.size();
    }

    /**
     * The shopper of a virtual user that just arrived: a new person who registers first when
     * {@code newcomer}, else someone with an account made before the run (a newcomer too when
     * none is left).
     */
    public Shopper arrive(boolean newcomer) {
        Shopper existing = newcomer ? null : seeded.poll();
        if (existing == null) {
            return newShopper();
        }
        shoppers.put(existing.number(), existing);
        return existing;
    }

    public Collection<Shopper> shoppers() {
        return List.copyOf(shoppers.values());
    }

    public String runId() {
        return runId;
    }
}
