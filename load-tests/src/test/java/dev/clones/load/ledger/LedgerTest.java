package dev.clones.load.ledger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LedgerTest {

    @Test
    void anArrivalTakesASeededAccountOnceAndOnlyTakenAccountsAreChecked() {
        Ledger ledger = new Ledger("run");
        Shopper first = ledger.account();
        Shopper second = ledger.account();
        ledger.seeded(first);
        ledger.seeded(second);
        assertEquals(0, ledger.shoppers().size(), "nobody has used a seeded account yet");

        Shopper arrived = ledger.arrive(false);
        assertSame(first, arrived);
        assertTrue(arrived.registered(), "a seeded account only logs in");
        assertEquals(1, ledger.seededLeft());
        assertEquals(1, ledger.shoppers().size());
    }

    @Test
    void aNewcomerRegistersAndLeavesTheSeededAccountsAlone() {
        Ledger ledger = new Ledger("run");
        Shopper seeded = ledger.account();
        ledger.seeded(seeded);

        Shopper newcomer = ledger.arrive(true);
        assertFalse(newcomer.registered());
        assertNotEquals(seeded.email(), newcomer.email());
        assertEquals(1, ledger.seededLeft());
    }

    @Test
    void whenTheSeededAccountsRunOutArrivalsSignUp() {
        Ledger ledger = new Ledger("run");
        Shopper arrived = ledger.arrive(false);
        assertFalse(arrived.registered());
        assertEquals(1, ledger.shoppers().size());
    }
}
