package dev.clones.media.reports;

import java.time.Instant;

/** A report as stored in Redis ({@code report:<id>}); media-service creates it, report-worker moves it on. */
public record ReportRecord(String id, String userId, String type, String format, String status, Instant createdAt,
                           Instant finishedAt, String objectKey, String error, boolean published) {
}
