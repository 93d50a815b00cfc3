package dev.clones.load.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A fault injected during the run (a replica killed, Redis restarted), as the chaos driver logged it. */
public record Fault(long epochMs, String description) {

    /**
     * Reads lines {@code <epoch-ms> <description>}; blank lines and lines starting with # are skipped.
     * A file that does not exist means no faults. A line that does not parse is an error: a fault the
     * summary silently left out would make a run look better than it was.
     */
    public static List<Fault> read(Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return List.of();
        }
        List<Fault> faults = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file)) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+", 2);
            try {
                faults.add(new Fault(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : "fault"));
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + number + ": expected '<epoch-ms> <description>', got: " + line, e);
            }
        }
        return faults;
    }
}
