package dev.clones.worker.service;

import dev.clones.contracts.ReportStatus;
import dev.clones.worker.config.WorkerConfig;
import dev.clones.worker.repository.MediaCleanupRepository;
import dev.clones.worker.repository.ReportObjectStore;
import dev.clones.worker.repository.ReportRecordRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The maintenance job: removes what nobody uses any more. It is a job like any other, so any worker may run
 * it, and every step is a conditional, idempotent delete: two runs at once (or a run repeated after a crash)
 * end in the same state, and nothing that a record still points at is ever deleted.
 */
@ApplicationScoped
public class MaintenanceService {

    private static final Logger LOG = Logger.getLogger(MaintenanceService.class);

    private final ReportRecordRepository records;
    private final ReportObjectStore objects;
    private final MediaCleanupRepository mediaCleanup;
    private final WorkerConfig.Maintenance config;
    private final MeterRegistry metrics;

    public MaintenanceService(ReportRecordRepository records, ReportObjectStore objects, MediaCleanupRepository mediaCleanup,
                              WorkerConfig config, MeterRegistry metrics) {
        this.records = records;
        this.objects = objects;
        this.mediaCleanup = mediaCleanup;
        this.config = config.maintenance();
        this.metrics = metrics;
    }

    /** Runs every step; a step that fails does not stop the others, but fails the run (so it is retried). */
    public MaintenanceSummary run(String runId) {
        LOG.infof("Maintenance run %s started", runId);
        List<RuntimeException> failures = new ArrayList<>();
        long abandoned = step("abandoned reports", failures, this::failAbandonedReports);
        long pruned = step("report index entries", failures, () -> records.pruneUserIndexes(config.scanCount()));
        long orphans = step("orphaned report objects", failures, this::deleteOrphanedReportObjects);
        long media = step("media objects due for cleanup", failures, this::cleanUpMediaObjects);
        long multipart = step("incomplete multipart uploads", failures,
                () -> objects.abortMultipartUploadsStartedBefore(Instant.now().minus(config.incompleteMultipartAge())));
        MaintenanceSummary summary = new MaintenanceSummary(abandoned, pruned, orphans, media, multipart);
        LOG.infof("Maintenance run %s finished: %s", runId, summary);
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
        metrics.counter("report.jobs", "outcome", "done", "type", "maintenance").increment();
        return summary;
    }

    /** Reports whose job is gone for good (see {@link WorkerConfig.Maintenance}) are marked failed, once. */
    private long failAbandonedReports() {
        long[] marked = {0};
        records.forEachReportId(config.scanCount(), id -> {
            if (records.abandonIfStale(id, ReportStatus.RUNNING, config.staleRunningAfter(),
                    "Abandoned: no worker finished it within " + config.staleRunningAfter() + ".")
                    || records.abandonIfStale(id, ReportStatus.QUEUED, config.staleQueuedAfter(),
                    "Abandoned: no worker started it within " + config.staleQueuedAfter() + ".")) {
                marked[0]++;
            }
        });
        return marked[0];
    }

    /**
     * A report object whose record is gone (the record expired with the report's retention, or the report was
     * deleted) is deleted. The record is written before its object, so an object without a record is never
     * one being produced; the grace period only avoids racing a listing.
     */
    private long deleteOrphanedReportObjects() {
        Instant cutoff = Instant.now().minus(config.orphanGrace());
        String prefix = objects.reportPrefix();
        long[] deleted = {0};
        objects.forEachReportObject(object -> {
            String name = object.key().substring(prefix.length());
            int dot = name.lastIndexOf('.');
            String reportId = dot > 0 ? name.substring(0, dot) : name;
            if (object.lastModified() != null && object.lastModified().isBefore(cutoff) && !records.exists(reportId)) {
                objects.delete(object.key());
                deleted[0]++;
            }
        });
        return deleted[0];
    }

    /**
     * media-service's cleanup set: abandoned direct uploads, uploads cut off by a crash, objects of deleted
     * files. Each due key is first claimed in Redis (atomically with the check that no file record owns it),
     * and only then are its multipart uploads aborted and its object deleted; a claim survives a crash and is
     * finished by the next run.
     */
    private long cleanUpMediaObjects() {
        for (String key : mediaCleanup.due(System.currentTimeMillis(), config.scanCount())) {
            mediaCleanup.claim(key);
        }
        long deleted = 0;
        for (String key : mediaCleanup.claimed(config.scanCount())) {
            objects.abortMultipartUploadsOf(key);
            objects.delete(key);
            mediaCleanup.release(key);
            deleted++;
        }
        return deleted;
    }

    private long step(String what, List<RuntimeException> failures, Step step) {
        try {
            return step.run();
        } catch (RuntimeException e) {
            LOG.warnf("Maintenance step '%s' failed: %s", what, e.toString());
            failures.add(e);
            return 0;
        }
    }

    @FunctionalInterface
    private interface Step {
        long run();
    }

    /** How much each step removed or fixed in one run. */
    public record MaintenanceSummary(long abandonedReports, long prunedIndexEntries, long orphanedReportObjects,
                                     long removedMediaObjects, long abortedMultipartUploads) {
    }
}
