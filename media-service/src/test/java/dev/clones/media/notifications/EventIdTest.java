package dev.clones.media.notifications;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventIdTest {

    private static EventId id(String text) {
        return EventId.parse(text).orElseThrow();
    }

    @Test
    void idsAreOrderedAsNumbersNotAsText() {
        assertTrue(id("1000-0").isAfter(id("999-0")), "more milliseconds, fewer digits as text");
        assertTrue(id("5-10").isAfter(id("5-9")), "same millisecond: the sequence decides, as a number");
        assertTrue(id("6-0").isAfter(id("5-99")), "the millisecond decides before the sequence");
        assertFalse(id("5-3").isAfter(id("5-3")), "an id is not after itself");
        assertEquals(0, id("5-3").compareTo(id("5-3")));
        List<String> sorted = Stream.of("10-0", "9-2", "9-10", "100-1", "9-1").map(EventId::parse).map(o -> o.orElseThrow())
                .sorted().map(EventId::toString).toList();
        assertEquals(List.of("9-1", "9-2", "9-10", "10-0", "100-1"), sorted);
    }

    @Test
    void theLargestIdsRedisCanWriteAreUnsigned() {
        EventId largest = id("18446744073709551615-18446744073709551615");
        assertTrue(largest.isAfter(id("9223372036854775807-0")), "past Long.MAX_VALUE still sorts after");
        assertEquals("18446744073709551615-18446744073709551615", largest.toString());
    }

    @Test
    void anIdReadsBackAsItWasWritten() {
        assertEquals("1733580000000-7", id("1733580000000-7").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1733580000000", "-", "1-", "-1", "a-1", "1-b", "1-2-3", " 1-2", "1-2 ", "+1-2", "1.5-2",
            "18446744073709551616-0", "0-18446744073709551616", "$", "(1-2"})
    void anythingRedisCouldNotHaveWrittenIsNoId(String text) {
        assertTrue(EventId.parse(text).isEmpty(), text);
    }

    @Test
    void noTextIsNoId() {
        assertTrue(EventId.parse(null).isEmpty());
    }
}
