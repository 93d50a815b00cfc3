package dev.clones.load.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    @Test
    void percentilesUpToTwoSecondsAreExact() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int ms = 0; ms < 100; ms++) {
            histogram.record(ms);
        }
        histogram.record(1234);
        assertEquals(101, histogram.count());
        assertEquals(50, histogram.percentile(50));
        assertEquals(99, histogram.percentile(99));
        assertEquals(1234, histogram.percentile(100));
    }

    @Test
    void slowAnswersAreNeverReportedFasterAndAtMostATenthOfAPercentSlower() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(25_050);
        long reported = histogram.percentile(100);
        assertTrue(reported >= 25_050 && reported <= 25_050 * 1.001, "reported " + reported);
        histogram.record(7_200_000);
        assertTrue(histogram.percentile(100) >= LatencyHistogram.HIGHEST_MS, "past an hour counts as an hour");
    }

    @Test
    void histogramsAddUp() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(10);
        b.record(20);
        b.addTo(a);
        assertEquals(2, a.count());
        assertEquals(20, a.percentile(100));
    }

    @Test
    void anEmptyHistogramAnswersZero() {
        assertEquals(0, new LatencyHistogram().percentile(99));
    }
}
