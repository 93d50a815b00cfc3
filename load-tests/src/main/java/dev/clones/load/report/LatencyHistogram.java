package dev.clones.load.report;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Response times in whole milliseconds, safe to record into from many threads: HdrHistogram with 3
 * significant digits, so a percentile is exact up to 2 s and within 0.1 % above, and never reported better
 * than the time recorded (it is the highest value of its bucket). Times past an hour count as an hour.
 */
public final class LatencyHistogram {

    static final long HIGHEST_MS = 3_600_000;

    private final Histogram histogram = new ConcurrentHistogram(HIGHEST_MS, 3);

    public void record(long millis) {
        histogram.recordValue(Math.clamp(millis, 0, HIGHEST_MS));
    }

    public void addTo(LatencyHistogram other) {
        other.histogram.add(histogram);
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The response time under which {@code percent} of the recorded ones fall, in ms; 0 when empty. */
    public long percentile(double percent) {
        return count() == 0 ? 0 : histogram.getValueAtPercentile(percent);
    }
}
