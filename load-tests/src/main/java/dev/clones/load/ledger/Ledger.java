package dev.clones.load.ledger;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Every shopper of one run, for the checks at its end. */
public final class Ledger {

    private final ConcurrentHashMap<Integer, Shopper> shoppers = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final String runId;

    public Ledger(String runId) {
        this.runId = runId;
    }

    /** A new shopper with an email no earlier run used and a password of its own. */
    public Shopper newShopper() {
        int number = next.incrementAndGet();
        String email = "load-" + runId + "-" + number + "@example.com";
        String password = "pw-" + java.util.UUID.randomUUID();
        Shopper shopper = new Shopper(number, email, password, number % 2 == 0);
        shoppers.put(number, shopper);
        return shopper;
    }

    public Collection<Shopper> shoppers() {
        return List.copyOf(shoppers.values());
    }

    public String runId() {
        return runId;
    }
}
