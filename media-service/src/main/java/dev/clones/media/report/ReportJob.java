package dev.clones.media.report;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * The job message, self-contained: any worker can produce the report from it alone. {@code input} says where
 * the data is (store, data set, whose); report-worker's {@code JobMessage} reads it. Registered for native
 * images: ReportJobPublisher serialises it itself.
 */
@RegisterForReflection
public record ReportJob(int v, String type, String id, String userId, String format, Instant requestedAt, Input input) {

    @RegisterForReflection
    public record Input(String store, String dataset, String owner) {
    }

    static ReportJob of(ReportRecord report) {
        return new ReportJob(1, report.type(), report.id(), report.userId(), report.format(), report.createdAt(),
                new Input("redis", report.type(), report.userId()));
    }
}
