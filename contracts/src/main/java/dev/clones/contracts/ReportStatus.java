package dev.clones.contracts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a report is in its life, as media-service writes it when the report is requested, report-worker writes it
 * as the job runs, and clients read it in {@code GET /reports/{id}}: queued → running → done | failed. The wire name
 * (lower case) is what Redis holds and what the API answers.
 */
public enum ReportStatus {
    QUEUED, RUNNING, DONE, FAILED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** The status named {@code wireName}; empty for anything else (a record written by a newer version, say). */
    public static Optional<ReportStatus> fromWire(String wireName) {
        return Arrays.stream(values()).filter(status -> status.wireName.equals(wireName)).findFirst();
    }

    /** True when {@code wireName} names this status. */
    public boolean is(String wireName) {
        return this.wireName.equals(wireName);
    }

    /** Done or failed: nothing changes the record any more but its expiry. */
    public boolean isFinal() {
        return this == DONE || this == FAILED;
    }
}
