package dev.clones.load.report;

import dev.clones.load.check.Invariants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSummaryTest {

    @Test
    void writesTheCountsTheFiguresAndAPlotWithEveryFaultMarked(@TempDir Path dir) throws IOException {
        long start = 1_700_000_000_000L;
        RunRecorder recorder = new RunRecorder();
        recorder.started(start);
        for (int second = 0; second < 30; second++) {
            for (int i = 0; i < 10; i++) {
                recorder.attempt("GET /api/cart", start + second * 1000L + i, second == 12 ? 900 : 20,
                        second == 12 ? 503 : RunRecorder.OK);
            }
        }
        recorder.operationFailed("GET /api/cart");
        Path faultsFile = dir.resolve("faults.txt");
        Files.writeString(faultsFile, "# chaos\n" + (start + 11_500) + " SIGKILL cart-service-2\n");
        List<Fault> faults = Fault.read(faultsFile);
        Map<String, Long> counts = new LinkedHashMap<>();
        Invariants.NAMES.forEach(n -> counts.put(n, 0L));
        counts.put(Invariants.DUPLICATE_ORDERS, 2L);

        Path summary = RunSummary.write(dir.resolve("run"),
                new RunSummary.RunInfo("r1", "http://127.0.0.1:8080", 10, 0, 30, 3.0, "cmd", start + 30_000),
                recorder, new Invariants(counts, Map.of("users", 10L)), List.of("user 1: order twice"), faults,
                new RunSummary.FaultWindow(1, 2));

        String md = Files.readString(summary);
        assertTrue(md.contains("**BROKEN"), md);
        assertTrue(md.contains("| duplicate orders | **2** |"), md);
        assertTrue(md.contains("| 1 | 11.5 |"), md);
        assertTrue(md.contains("SIGKILL cart-service-2"), md);
        // The fault at 11.5 s leaves seconds 10 to 13 out, with the 10 slow failed attempts of second 12.
        assertTrue(md.contains("| after the ramp, outside faults (1 s before to 2 s after each) | 260 | 0 |  | 10.0 | 20 | 20 | 20 | 20 |"), md);
        assertTrue(md.contains("| after the ramp | 300 | 10 |  | 10.0 | 20 | 20 | 900 | 900 |"), md);
        assertTrue(md.contains("| GET /api/cart | 300 | 10 | 1 | 503: 10 |"), md);
        String svg = Files.readString(dir.resolve("run/timeline.svg"));
        assertTrue(svg.startsWith("<svg"), svg);
        assertTrue(svg.contains("<title>SIGKILL cart-service-2</title>"), svg);
        assertEquals(3, svg.split("<polyline").length - 1, "one line per panel");
        assertEquals(List.of("lost sessions: 0", "sessions alive after logout: 0"),
                Files.readAllLines(dir.resolve("run/invariants.txt")).subList(0, 2));
        assertEquals(31, Files.readAllLines(dir.resolve("run/series.csv")).size());
    }

    @Test
    void aFaultLineThatDoesNotParseIsAnError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("faults.txt");
        Files.writeString(file, "yesterday kill\n");
        assertThrows(IOException.class, () -> Fault.read(file));
        assertEquals(List.of(), Fault.read(dir.resolve("absent.txt")));
    }
}
