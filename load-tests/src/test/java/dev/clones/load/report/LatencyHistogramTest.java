package dev.clones.load.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyHistogramTest {

    @Test
    void percentilesBelowOneSecondAreExact() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int ms = 0; ms < 100; ms++) {
            histogram.record(ms);
        }
        assertEquals(100, histogram.count());
        assertEquals(49, histogram.percentile(50));
        assertEquals(98, histogram.percentile(99));
        assertEquals(99, histogram.percentile(100));
    }

    @Test
    void slowAnswersAreRoundedUpToTheirCoarserBucketAndBeyondSixtySecondsToTheLast() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(1234);
        assertEquals(1240, histogram.percentile(100));
        histogram.record(25_050);
        assertEquals(25_100, histogram.percentile(100));
        histogram.record(3_600_000);
        assertEquals(LatencyHistogram.OVERFLOW_MS, histogram.percentile(100));
    }

    @Test
    void anEmptyHistogramAnswersZero() {
        assertEquals(0, new LatencyHistogram().percentile(99));
    }
}
