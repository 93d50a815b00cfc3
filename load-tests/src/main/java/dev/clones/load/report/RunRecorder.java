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

    /** The failure status of an attempt that worked. */
    public static final int OK = -1;

    /** Counts and response times of a set of attempts. */
    public static final class Stats {
        private final LongAdder attempts = new LongAdder();
        private final LongAdder failedAttempts = new LongAdder();
        private final LongAdder failedOperations = new LongAdder();
        private final LatencyHistogram latency = new LatencyHistogram();
        private final ConcurrentHashMap<Integer, LongAdder> failuresByStatus = new ConcurrentHashMap<>();

        void attempt(long latencyMs, int failureStatus) {
            attempts.increment();
            if (failureStatus != OK) {
                failedAttempts.increment();
                failuresByStatus.computeIfAbsent(failureStatus, s -> new LongAdder()).increment();
            }
            latency.record(latencyMs);
        }

        /** Failed attempts by the status they got (0: no answer), e.g. {@code 503: 12, 0: 3}; empty when none. */
        public String failuresByStatus() {
            return new TreeMap<>(failuresByStatus).entrySet().stream()
                    .map(e -> String.format(java.util.Locale.ROOT, "%d: %,d", e.getKey(), e.getValue().sum()))
                    .collect(java.util.stream.Collectors.joining(", "));
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

    /**
     * One attempt of request {@code name} that ended at {@code endEpochMs}: {@code failureStatus} is
     * {@link #OK} when it got a status it expected, else the status it got (0 for none).
     */
    public void attempt(String name, long endEpochMs, long latencyMs, int failureStatus) {
        total.attempt(latencyMs, failureStatus);
        perName.computeIfAbsent(name, n -> new Stats()).attempt(latencyMs, failureStatus);
        perSecond.computeIfAbsent(endEpochMs / 1000, s -> new Stats()).attempt(latencyMs, failureStatus);
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
