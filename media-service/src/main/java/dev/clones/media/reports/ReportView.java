package dev.clones.media.reports;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** A report as clients see it; {@code downloadUrl} is a fresh signed URL, present once it is done. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportView(String id, String type, String format, String status, Instant createdAt, Instant finishedAt,
                         String downloadUrl, String error) {

    static ReportView of(ReportRecord report, String downloadUrl) {
        return new ReportView(report.id(), report.type(), report.format(), report.status(), report.createdAt(),
                report.finishedAt(), downloadUrl, report.error());
    }
}
