package dev.clones.cart.cart;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IfMatchTest {

    @Test
    void noHeaderOrAStarIsNoCondition() {
        assertEquals(VersionCheck.ANY, IfMatch.parse(null));
        assertEquals(VersionCheck.ANY, IfMatch.parse(" "));
        assertEquals(VersionCheck.ANY, IfMatch.parse("*"));
        assertEquals(VersionCheck.ANY, IfMatch.parse("\"3\", *"));
    }

    @Test
    void strongVersionTagsAreAccepted() {
        assertEquals("3", IfMatch.parse("\"3\"").scriptArgument());
        assertEquals("3 12", IfMatch.parse("\"3\" , \"12\"").scriptArgument());
        assertEquals("\"42\"", IfMatch.etag(42));
    }

    @Test
    void weakOrForeignTagsNeverMatch() {
        for (String header : new String[] {"W/\"3\"", "3", "\"abc\"", "\"\"", "\"99999999999999999999\""}) {
            assertEquals("none", IfMatch.parse(header).scriptArgument(), header);
        }
        assertEquals("5", IfMatch.parse("W/\"3\", \"5\"").scriptArgument());
    }
}
