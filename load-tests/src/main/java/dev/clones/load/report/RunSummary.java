package dev.clones.load.report;

import dev.clones.load.check.Invariants;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.stream.Collectors;

/**
 * The per-run summary in target/load/RUN/: summary.md (invariants, request figures, fault table),
 * timeline.svg (the plot it shows), series.csv (the per-second figures behind the plot) and
 * invariants.txt (the counts, one {@code name: n} per line, for scripts).
 */
public final class RunSummary {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_PROBLEMS = 50;

    /** What was run: shown at the top of the summary. */
    public record RunInfo(String run, String baseUrl, int users, int rampSeconds, int durationSeconds,
                          double thinkSeconds, String command, long loadEndedAtMs) {
    }

    /** Seconds around each fault left out of the "outside faults" p99: from {@code before} to {@code after}. */
    public record FaultWindow(int before, int after) {
        boolean covers(long second, List<Fault> faults) {
            for (Fault fault : faults) {
                long at = fault.epochMs() / 1000;
                if (second >= at - before && second <= at + after) {
                    return true;
                }
            }
            return false;
        }
    }

    private RunSummary() {
    }

    /** Writes the files and returns the path of summary.md. */
    public static Path write(Path dir, RunInfo info, RunRecorder recorder, Invariants invariants,
                             List<String> problems, List<Fault> faults, FaultWindow window) throws IOException {
        Files.createDirectories(dir);
        NavigableMap<Long, RunRecorder.Stats> perSecond = recorder.perSecond();
        long start = recorder.startedAtMs();
        long end = Math.max(info.loadEndedAtMs(), start + 1000);
        Files.writeString(dir.resolve("timeline.svg"), TimelinePlot.render(start, end, perSecond, faults));
        Files.writeString(dir.resolve("series.csv"), series(start, end, perSecond, faults, window));
        Files.writeString(dir.resolve("invariants.txt"), String.join("\n", invariants.lines()) + "\n");
        Path summary = dir.resolve("summary.md");
        Files.writeString(summary, markdown(info, recorder, invariants, problems, faults, window, start, end));
        return summary;
    }

    static String markdown(RunInfo info, RunRecorder recorder, Invariants invariants, List<String> problems,
                           List<Fault> faults, FaultWindow window, long start, long end) {
        StringBuilder md = new StringBuilder();
        md.append("# Load run ").append(info.run()).append("\n\n");
        md.append(String.format(Locale.ROOT,
                "%s to %s against %s: %,d virtual users (ramp %d s, then %d s of load), think time %.1f s.%n%n",
                TIME.format(Instant.ofEpochMilli(start)), TIME.format(Instant.ofEpochMilli(end)), info.baseUrl(),
                info.users(), info.rampSeconds(), info.durationSeconds(), info.thinkSeconds()));
        md.append("Command: `").append(info.command()).append("`\n\n");

        md.append("## Invariants\n\n");
        md.append(invariants.broken() ? "**BROKEN: something was lost.**\n\n" : "**All invariants are 0.**\n\n");
        md.append("| invariant | count |\n| --- | ---: |\n");
        invariants.counts().forEach((name, n) -> md.append("| ").append(name).append(" | ")
                .append(n == 0 ? "0" : "**" + n + "**").append(" |\n"));
        md.append("\n| fact | value |\n| --- | ---: |\n");
        invariants.facts().forEach((name, n) -> md.append(String.format(Locale.ROOT, "| %s | %,d |%n", name, n)));

        RunRecorder.Stats total = recorder.total();
        double seconds = Math.max(1, (end - start) / 1000.0);
        md.append("\n## Requests\n\n");
        md.append("Every attempt counts, retries included; \"failed after retries\" is what a user would have seen.\n\n");
        md.append("| | attempts | failed attempts | failed after retries | mean req/s | p50 ms | p95 ms | p99 ms | max ms |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        md.append(row("all requests", new Window(total.attempts(), total.failedAttempts(), total.failedOperations(),
                total.attempts() / seconds, total.latency())));
        long steadyFrom = start / 1000 + info.rampSeconds();
        // Users finish the iteration they are in after the planned end; that tail is not steady load.
        long steadyTo = Math.min(info.loadEndedAtMs(), start + 1000L * (info.rampSeconds() + info.durationSeconds())) / 1000;
        md.append(row("after the ramp", seconds(recorder, second -> second >= steadyFrom && second < steadyTo)));
        if (!faults.isEmpty()) {
            md.append(row(String.format(Locale.ROOT, "after the ramp, outside faults (%d s before to %d s after each)",
                    window.before(), window.after()), seconds(recorder,
                    second -> second >= steadyFrom && second < steadyTo && !window.covers(second, faults))));
        }
        long steadyAttempts = recorder.perSecond().subMap(steadyFrom, true, steadyTo, false).values().stream()
                .mapToLong(RunRecorder.Stats::attempts).sum();
        long peak = recorder.perSecond().values().stream().mapToLong(RunRecorder.Stats::attempts).max().orElse(0);
        if (steadyTo > steadyFrom) {
            md.append(String.format(Locale.ROOT, "%nThroughput after the ramp: %.0f requests/s on average, %,d at the busiest second.%n",
                    steadyAttempts / (double) (steadyTo - steadyFrom), peak));
        }

        md.append("\n## Timeline\n\n![throughput, p99 and errors per second](timeline.svg)\n\n");
        md.append("Per-second figures: [series.csv](series.csv).\n");
        if (!faults.isEmpty()) {
            md.append("\n## Faults\n\n| # | second | time | fault |\n| ---: | ---: | --- | --- |\n");
            int n = 1;
            for (Fault fault : faults) {
                md.append(String.format(Locale.ROOT, "| %d | %.1f | %s | %s |%n", n++,
                        (fault.epochMs() - start) / 1000.0, TIME.format(Instant.ofEpochMilli(fault.epochMs())),
                        fault.description().replace("|", "\\|")));
            }
        }

        md.append("\n## Per request\n\n| request | attempts | failed attempts | failed after retries | failures by status (0: no answer) | p50 ms | p95 ms | p99 ms | max ms |\n");
        md.append("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n");
        recorder.perName().forEach((name, stats) -> md.append(String.format(Locale.ROOT,
                "| %s | %,d | %,d | %,d | %s | %d | %d | %d | %d |%n", name, stats.attempts(), stats.failedAttempts(),
                stats.failedOperations(), stats.failuresByStatus(), stats.latency().percentile(50),
                stats.latency().percentile(95), stats.latency().percentile(99), stats.latency().percentile(100))));

        if (!problems.isEmpty()) {
            md.append("\n## Problems").append(problems.size() > MAX_PROBLEMS ? " (first " + MAX_PROBLEMS + " of " + problems.size() + ")" : "")
                    .append("\n\n");
            problems.stream().limit(MAX_PROBLEMS).forEach(p -> md.append("- ").append(p).append('\n'));
        }
        return md.toString();
    }

    /** Attempts of a set of seconds (or the whole run) merged: one row of the requests table. */
    private record Window(long attempts, long failedAttempts, Long failedOperations, double perSecond,
                          LatencyHistogram latency) {
    }

    private static Window seconds(RunRecorder recorder, java.util.function.LongPredicate which) {
        LatencyHistogram latency = new LatencyHistogram();
        long attempts = 0;
        long failed = 0;
        long count = 0;
        for (Map.Entry<Long, RunRecorder.Stats> second : recorder.perSecond().entrySet()) {
            if (which.test(second.getKey())) {
                second.getValue().latency().addTo(latency);
                attempts += second.getValue().attempts();
                failed += second.getValue().failedAttempts();
                count++;
            }
        }
        return new Window(attempts, failed, null, count == 0 ? 0 : attempts / (double) count, latency);
    }

    private static String row(String label, Window window) {
        LatencyHistogram latency = window.latency();
        return String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %.1f | %d | %d | %d | %d |%n", label,
                window.attempts(), window.failedAttempts(),
                window.failedOperations() == null ? "" : String.format(Locale.ROOT, "%,d", window.failedOperations()),
                window.perSecond(), latency.percentile(50), latency.percentile(95), latency.percentile(99),
                latency.percentile(100));
    }

    static String series(long start, long end, NavigableMap<Long, RunRecorder.Stats> perSecond, List<Fault> faults,
                         FaultWindow window) {
        String header = "second,epoch_second,requests,failed,p50_ms,p99_ms,near_fault\n";
        return header + perSecond.subMap(start / 1000, true, (end + 999) / 1000, true).entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%s", e.getKey() - start / 1000, e.getKey(),
                        e.getValue().attempts(), e.getValue().failedAttempts(), e.getValue().latency().percentile(50),
                        e.getValue().latency().percentile(99), window.covers(e.getKey(), faults)))
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
