package dev.clones.load.ledger;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CartExpectationTest {

    @Test
    void appliedChangesGiveTheCartTheServerMustHold() {
        CartExpectation cart = new CartExpectation();
        cart.applied(new CartChange.Add("TEA", 2));
        cart.applied(new CartChange.Add("TEA", 1));
        cart.applied(new CartChange.Add("MUG", 1));
        cart.applied(new CartChange.SetQuantity("MUG", 0));

        assertTrue(cart.compare(Map.of("TEA", 3)).none());
        assertEquals(new CartExpectation.Difference(1, 0), cart.compare(Map.of("TEA", 2)));
        assertEquals(new CartExpectation.Difference(0, 1), cart.compare(Map.of("TEA", 3, "MUG", 1)));
    }

    @Test
    void aChangeWhoseAnswerWasLostAllowsBothCartsUntilTheServerShowsOne() {
        CartExpectation cart = new CartExpectation();
        cart.applied(new CartChange.Add("TEA", 2));
        cart.uncertain(new CartChange.Add("MUG", 1));

        assertFalse(cart.isCertain());
        assertTrue(cart.compare(Map.of("TEA", 2)).none());
        assertTrue(cart.compare(Map.of("TEA", 2, "MUG", 1)).none());
        assertEquals(2, cart.maxQuantity("TEA"));

        assertTrue(cart.observe(Map.of("TEA", 2, "MUG", 1)).none());
        assertTrue(cart.isCertain());
        assertEquals(new CartExpectation.Difference(1, 0), cart.compare(Map.of("TEA", 2)));
    }

    @Test
    void aChangeInDoubtThatLandsAfterTheShopperSawACartWithoutItIsNoLoss() {
        CartExpectation cart = new CartExpectation();
        cart.applied(new CartChange.Add("TEA", 2));
        cart.uncertain(new CartChange.SetQuantity("TEA", 5));
        assertTrue(cart.observe(Map.of("TEA", 2)).none()); // not applied yet: still queued somewhere

        cart.applied(new CartChange.Add("MUG", 1));

        assertTrue(cart.observe(Map.of("TEA", 5, "MUG", 1)).none()); // it landed, before the add
        cart.applied(new CartChange.SetQuantity("MUG", 2));
        assertTrue(cart.compare(Map.of("TEA", 5, "MUG", 2)).none());
    }

    @Test
    void aChangeInDoubtCannotLandOnceTheLongestARequestLivesInTheSystemHasPassed() {
        AtomicLong now = new AtomicLong();
        CartExpectation cart = new CartExpectation(now::get);
        cart.applied(new CartChange.Add("TEA", 2));
        cart.uncertain(new CartChange.SetQuantity("TEA", 5));
        cart.observe(Map.of("TEA", 2));

        now.addAndGet(CartExpectation.LATE_LANDING.plus(Duration.ofSeconds(1)).toNanos());

        assertEquals(new CartExpectation.Difference(1, 0), cart.compare(Map.of("TEA", 5)));
    }

    @Test
    void aWriteTheServerAnsweredIsStillCountedLostWhileAnotherChangeIsInDoubt() {
        CartExpectation cart = new CartExpectation();
        cart.applied(new CartChange.Add("TEA", 2));
        cart.uncertain(new CartChange.Add("MUG", 1));
        cart.observe(Map.of("TEA", 2));
        cart.applied(new CartChange.SetQuantity("TEA", 3));

        assertEquals(new CartExpectation.Difference(1, 0), cart.compare(Map.of("TEA", 2, "MUG", 1)));
        assertEquals(new CartExpectation.Difference(1, 0), cart.compare(Map.of()));
    }

    @Test
    void aCheckoutInDoubtMeansTheCartMayBeEmptyButIsNotCertainlyNonEmpty() {
        CartExpectation cart = new CartExpectation();
        cart.applied(new CartChange.Add("TEA", 1));
        assertTrue(cart.certainlyNonEmpty());

        cart.uncertain(new CartChange.Clear());

        assertFalse(cart.certainlyNonEmpty());
        assertTrue(cart.compare(Map.of()).none());
    }

    @Test
    void aLossIsCountedOnceThenTheServersCartIsExpected() {
        Shopper shopper = new Shopper(1, "a@example.com", "password", true);
        shopper.cart().applied(new CartChange.Add("TEA", 2));
        shopper.cart().applied(new CartChange.Add("MUG", 1));

        shopper.cartSeen(Map.of("MUG", 1, "CUP", 4));
        shopper.cartSeen(Map.of("MUG", 1, "CUP", 4));

        assertEquals(1, shopper.lostCartLinesSeen());
        assertEquals(1, shopper.unexpectedCartLinesSeen());
    }
}
