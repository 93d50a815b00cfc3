package dev.clones.worker.service;

import dev.clones.contracts.ReportJob;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Runs one delivery of a job and decides what the broker should do with the message: acknowledge it, hand
 * it back after a backoff, or dead-letter it after the last attempt (the report is then marked failed with
 * the reason first, so the user learns of it).
 */
@ApplicationScoped
public class JobProcessor {

    private static final Logger LOG = Logger.getLogger(JobProcessor.class);
    private static final int MAX_REASON = 300;

    private final ReportJobService reports;
    private final MaintenanceService maintenance;
    private final RetryPolicy retry;
    private final MeterRegistry metrics;

    public JobProcessor(ReportJobService reports, MaintenanceService maintenance, RetryPolicy retry, MeterRegistry metrics) {
        this.reports = reports;
        this.maintenance = maintenance;
        this.retry = retry;
        this.metrics = metrics;
    }

    public Disposition process(ReportJob job, int attempt) {
        try {
            if (job.isMaintenance()) {
                maintenance.run(job.id());
            } else {
                reports.run(job, attempt);
            }
            return Disposition.ack();
        } catch (InvalidJobException e) {
            LOG.warnf("Job %s is invalid and is dead-lettered: %s", job.id(), e.getMessage());
            reports.giveUp(job, "The job was invalid: " + e.getMessage());
            return Disposition.deadLetter();
        } catch (RuntimeException e) {
            if (retry.isLastAttempt(attempt)) {
                LOG.errorf(e, "Job %s (%s) failed on attempt %d of %d; giving up and dead-lettering it",
                        job.id(), job.type(), attempt, retry.maxAttempts());
                reports.giveUp(job, "Gave up after " + attempt + " attempts: " + reason(e));
                return Disposition.deadLetter();
            }
            Duration backoff = retry.backoffAfter(attempt);
            LOG.warnf("Job %s (%s) failed on attempt %d of %d, retrying in %d ms: %s",
                    job.id(), job.type(), attempt, retry.maxAttempts(), backoff.toMillis(), e.toString());
            metrics.counter("report.jobs", "outcome", "retried", "type", String.valueOf(job.type())).increment();
            return Disposition.retryAfter(backoff);
        }
    }

    /** A short, single-line account of a failure for the report's {@code error} field. */
    static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        String line = message.replaceAll("\\s+", " ").trim();
        return line.length() > MAX_REASON ? line.substring(0, MAX_REASON) + "\u2026" : line;
    }
}
