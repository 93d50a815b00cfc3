package dev.clones.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * A job as it travels on the report queue, self-contained: any worker can run it from this alone. media-service
 * publishes report jobs; report-worker's timer publishes maintenance jobs; report-worker consumes both.
 *
 * <pre>{@code
 * {"v":1, "type":"orders"|"cart", "id":"<reportId>", "userId":"<userId>", "format":"pdf"|"csv",
 *  "requestedAt":"2025-01-01T12:00:00Z", "input":{"store":"redis", "dataset":"orders"|"cart", "owner":"<userId>"}}
 * {"v":1, "type":"maintenance", "id":"<run id>", "requestedAt":"..."}
 * }</pre>
 *
 * <p>{@code input} says where the data lives: which store, which data set, whose. Unknown fields are ignored, so
 * a publisher may add one before every worker knows it. {@code v} is an {@code Integer} so that a reader can tell
 * a message without a version from version 0. Services serialise it with Jackson themselves and register it for
 * native images ({@code @RegisterForReflection(targets = ...)}): this module stays plain Java.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReportJob(Integer v, String type, String id, String userId, String format, Instant requestedAt, Input input) {

    /** The version this code writes. */
    public static final int VERSION = 1;
    /** The type of the job that sweeps stale records and orphaned objects, not a report. */
    public static final String MAINTENANCE = "maintenance";
    /** The only store a report's input is read from today. */
    public static final String REDIS_STORE = "redis";

    /** Where the report's data is: {@code store} (only "redis"), {@code dataset} ("orders" or "cart"), {@code owner} (a user id). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(String store, String dataset, String owner) {
    }

    /** The job for report {@code id}: its data set is named like its type and belongs to the user who asked. */
    public static ReportJob forReport(String type, String id, String userId, String format, Instant requestedAt) {
        return new ReportJob(VERSION, type, id, userId, format, requestedAt, new Input(REDIS_STORE, type, userId));
    }

    /** A maintenance run. */
    public static ReportJob maintenance(String runId, Instant requestedAt) {
        return new ReportJob(VERSION, MAINTENANCE, runId, null, null, requestedAt, null);
    }

    /** Not a field of the message: derived from {@code type}. */
    @JsonIgnore
    public boolean isMaintenance() {
        return MAINTENANCE.equals(type);
    }
}
