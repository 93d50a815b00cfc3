package dev.clones.load.report;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every request attempt of the run, as the virtual users saw it: per second (for the timeline) and per
 * request name (for the table). Gatling's own simulation.log is a binary format of Gatling's internals;
 * recording here, from the same checks that decide OK or KO, keeps the summary independent of it.
 */
public final class RunRecorder {

    /** Counts and response times of a set of attempts. */
    public static final class Stats {
        private final LongAdder attempts = new LongAdder();
        private final LongAdder failedAttempts = new LongAdder();
        private final LongAdder failedOperations = new LongAdder();
        private final LatencyHistogram latency = new LatencyHistogram();

        void attempt(long latencyMs, boolean ok) {
            attempts.increment();
            if (!ok) {
                failedAttempts.increment();
            }
            latency.record(latencyMs);
        }

        public long attempts() { return attempts.sum(); }
        public long failedAttempts() { return failedAttempts.sum(); }
        /** Requests that still failed after the client's retries: what a user would have seen. */
        public long failedOperations() { return failedOperations.sum(); }
        public LatencyHistogram latency() { return latency; }
    }

    private final ConcurrentHashMap<Long, Stats> perSecond = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Stats> perName = new ConcurrentHashMap<>();
    private final Stats total = new Stats();
    private volatile long startedAtMs = System.currentTimeMillis();
    private volatile long endedAtMs;

    public void started(long epochMs) { startedAtMs = epochMs; }
    public void ended(long epochMs) { endedAtMs = epochMs; }
    public long startedAtMs() { return startedAtMs; }
    public long endedAtMs() { return endedAtMs == 0 ? System.currentTimeMillis() : endedAtMs; }

    /** One attempt of request {@code name} that ended at {@code endEpochMs}. */
    public void attempt(String name, long endEpochMs, long latencyMs, boolean ok) {
        total.attempt(latencyMs, ok);
        perName.computeIfAbsent(name, n -> new Stats()).attempt(latencyMs, ok);
        perSecond.computeIfAbsent(endEpochMs / 1000, s -> new Stats()).attempt(latencyMs, ok);
    }

    /** The last attempt of request {@code name} failed and the client gave up (or was not allowed to retry). */
    public void operationFailed(String name) {
        total.failedOperations.increment();
        perName.computeIfAbsent(name, n -> new Stats()).failedOperations.increment();
    }

    public Stats total() { return total; }

    public Map<String, Stats> perName() { return new TreeMap<>(perName); }

    /** Epoch second to the attempts that ended in it. */
    public NavigableMap<Long, Stats> perSecond() { return new TreeMap<>(perSecond); }
}
