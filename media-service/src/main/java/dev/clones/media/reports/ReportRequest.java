package dev.clones.media.reports;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** {@code POST /api/reports} body. */
public record ReportRequest(
        @NotNull @Pattern(regexp = "orders|cart", message = "must be \"orders\" or \"cart\"") String type,
        @NotNull @Pattern(regexp = "pdf|csv", message = "must be \"pdf\" or \"csv\"") String format) {
}
