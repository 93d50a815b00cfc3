package dev.clones.load.report;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Response times in fixed buckets, safe to record into from many threads: 1 ms wide up to 1 s, 10 ms up to
 * 10 s, 100 ms up to 60 s, and one bucket beyond. Below 1 s a percentile is exact (times are whole
 * milliseconds); above, it is the upper edge of its bucket, so it is never reported better than it was.
 */
public final class LatencyHistogram {

    private static final int MS_BUCKETS = 1000;
    private static final int TEN_MS_BUCKETS = 900;
    private static final int HUNDRED_MS_BUCKETS = 500;
    private static final int BUCKETS = MS_BUCKETS + TEN_MS_BUCKETS + HUNDRED_MS_BUCKETS + 1;
    static final long OVERFLOW_MS = 60_000;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void record(long millis) {
        counts.incrementAndGet(bucket(Math.max(0, millis)));
    }

    public void addTo(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            long n = counts.get(i);
            if (n != 0) {
                other.counts.addAndGet(i, n);
            }
        }
    }

    public long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** The response time under which {@code percent} of the recorded ones fall, in ms; 0 when empty. */
    public long percentile(double percent) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * percent / 100.0);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= Math.max(rank, 1)) {
                return upperEdge(i);
            }
        }
        return OVERFLOW_MS;
    }

    static int bucket(long ms) {
        if (ms < 1000) {
            return (int) ms;
        }
        if (ms < 10_000) {
            return MS_BUCKETS + (int) ((ms - 1000) / 10);
        }
        if (ms < OVERFLOW_MS) {
            return MS_BUCKETS + TEN_MS_BUCKETS + (int) ((ms - 10_000) / 100);
        }
        return BUCKETS - 1;
    }

    static long upperEdge(int bucket) {
        if (bucket < MS_BUCKETS) {
            return bucket;
        }
        if (bucket < MS_BUCKETS + TEN_MS_BUCKETS) {
            return 1000 + (bucket - MS_BUCKETS + 1) * 10L;
        }
        if (bucket < BUCKETS - 1) {
            return 10_000 + (bucket - MS_BUCKETS - TEN_MS_BUCKETS + 1) * 100L;
        }
        return OVERFLOW_MS;
    }
}
