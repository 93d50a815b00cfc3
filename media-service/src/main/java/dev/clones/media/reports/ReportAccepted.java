package dev.clones.media.reports;

/** The 202 body of {@code POST /api/reports}. */
public record ReportAccepted(String id, String status) {
}
