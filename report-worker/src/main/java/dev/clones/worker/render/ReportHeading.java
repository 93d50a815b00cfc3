package dev.clones.worker.render;

import java.time.Instant;

/** What every report says about itself: which report, whose, made when. */
public record ReportHeading(String reportId, String userId, Instant generatedAt) {
}
