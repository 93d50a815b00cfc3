package dev.clones.auth.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommonPasswordsTest {

    @Test
    void theMostCommonPasswordsAreRefusedWhateverTheirCase() {
        CommonPasswords common = new CommonPasswords(10_000);
        assertEquals(10_000, common.size());
        for (String password : new String[] {"password", "12345678", "qwertyuiop", "Password1", "ILOVEYOU", "trustNo1"}) {
            assertTrue(common.isCommon(password), password);
        }
        assertFalse(common.isCommon("correct-horse-battery-staple-7"));
    }

    @Test
    void onlyTheConfiguredTopOfTheRankingIsRefused() {
        // "password1" ranks 189th in zxcvbn's list, "password" 2nd.
        CommonPasswords top100 = new CommonPasswords(100);
        assertTrue(top100.isCommon("password"));
        assertFalse(top100.isCommon("password1"));
        assertFalse(new CommonPasswords(0).isCommon("password"));
        assertEquals(30_000, new CommonPasswords(1_000_000).size(), "the whole list when asked for more");
        assertThrows(IllegalArgumentException.class, () -> new CommonPasswords(-1));
    }
}
