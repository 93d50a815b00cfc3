package dev.clones.media.reports;

import dev.clones.common.paging.Page;
import dev.clones.common.paging.PageRequest;
import dev.clones.common.error.ApiProblem;
import dev.clones.contracts.ReportJob;
import dev.clones.contracts.ReportStatus;
import dev.clones.media.storage.ObjectStorage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Accepts report requests. The record is written first (status queued), then the job is published; the
 * client gets 202 only once the broker confirmed the job, so an accepted report is never lost. When the
 * broker does not confirm, the record is withdrawn and the client gets 503: nothing was promised, and a job
 * that still reaches a worker later finds no report and is dropped.
 */
@ApplicationScoped
public class ReportService {

    private static final Logger LOG = Logger.getLogger(ReportService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ReportRepository reports;
    private final ReportJobPublisher publisher;
    private final ObjectStorage storage;
    private final ReportsConfig config;

    public ReportService(ReportRepository reports, ReportJobPublisher publisher, ObjectStorage storage, ReportsConfig config) {
        this.reports = reports;
        this.publisher = publisher;
        this.storage = storage;
        this.config = config;
    }

    /**
     * Runs to its end even when the client hangs up: HTTP cancels a request's work when its connection closes,
     * and a request stopped between writing the record and publishing its job would leave a report queued
     * with no job (seen under load: clients that timed out left reports queued for good). Detached, every
     * request ends as a published job or a withdrawn record, whether or not anyone is left to hear the answer.
     */
    public Uni<ReportRecord> request(String userId, String type, String format, String idempotencyKey) {
        String id = newId();
        Uni<ReportRecord> work = reports.create(id, userId, type, format, idempotencyKey).flatMap(creation -> switch (creation) {
            case ReportRepository.Creation.Created created -> publishNew(created.report(), idempotencyKey);
            case ReportRepository.Creation.Existing existing -> replay(userId, existing.reportId());
            case ReportRepository.Creation.KeyReused ignored -> Uni.createFrom().failure(ApiProblem.unprocessable(
                    "This Idempotency-Key was used for a different report request; use a new key."));
            case ReportRepository.Creation.Busy ignored -> Uni.createFrom().failure(new ApiProblem(429, "Too Many Requests",
                    "You have " + config.maxActivePerUser() + " reports queued or running, the most an account may; wait for one to finish.",
                    Map.of("Retry-After", "10")));
        });
        // The emitter's cancellation is not passed on to the work's subscription; a late answer is dropped.
        return Uni.createFrom().emitter(answer -> work.subscribe().with(answer::complete, answer::fail));
    }

    public Uni<ReportRecord> find(String userId, String id) {
        return reports.find(userId, id).map(report -> {
            if (report == null) {
                throw ApiProblem.notFound("No report " + id + ".");
            }
            return report;
        });
    }

    public Uni<Page<ReportRecord>> list(String userId, PageRequest page) {
        return reports.list(userId, page);
    }

    /** A signed URL for a finished report's file (computed locally, no call to storage). */
    public String downloadUrl(ReportRecord report) {
        if (!ReportStatus.DONE.is(report.status()) || report.objectKey() == null) {
            return null;
        }
        String name = report.type() + "-report-" + report.id() + "." + report.format();
        // Content type as stored by the worker; the file name is ours, covered by the signature.
        return storage.signedGet(report.objectKey(), config.downloadUrlTtl(), null, "attachment; filename=\"" + name + "\"", null).url();
    }

    private Uni<ReportRecord> publishNew(ReportRecord report, String idempotencyKey) {
        return publisher.publish(job(report))
                .flatMap(ignored -> reports.markPublished(report.id()))
                .flatMap(noted -> noted
                        ? Uni.createFrom().item(report)
                        : Uni.createFrom().failure(new ReportJobPublisher.JobNotAccepted("the report was withdrawn meanwhile")))
                .onFailure().call(failure -> {
                    LOG.warnf("Report %s not accepted (%s); withdrawing it", report.id(), failure.getMessage());
                    return reports.withdraw(report.id(), report.userId(), idempotencyKey)
                            .onFailure().invoke(e -> LOG.warnf("Could not withdraw report %s: %s", report.id(), e.toString()))
                            .onFailure().recoverWithNull();
                })
                .onFailure(ReportJobPublisher.JobNotAccepted.class).transform(failure -> ApiProblem.unavailable(
                        "Report jobs cannot be queued right now (" + failure.getMessage() + "); nothing was created, retry later."));
    }

    /**
     * The same Idempotency-Key again: the same report. If its job was never confirmed (the first request is
     * still waiting for the broker, or its replica died before publishing), it is published again; a worker
     * given the job twice produces the report once.
     */
    private Uni<ReportRecord> replay(String userId, String id) {
        return reports.find(userId, id).flatMap(report -> {
            if (report == null) {
                return Uni.createFrom().failure(ApiProblem.unavailable("The report of this Idempotency-Key is being withdrawn; retry."));
            }
            if (report.published()) {
                return Uni.createFrom().item(report);
            }
            return publisher.publish(job(report))
                    .flatMap(ignored -> reports.markPublished(id))
                    .flatMap(noted -> noted ? find(userId, id)
                            : Uni.createFrom().failure(new ReportJobPublisher.JobNotAccepted("the report was withdrawn meanwhile")))
                    .onFailure(ReportJobPublisher.JobNotAccepted.class).transform(failure -> ApiProblem.unavailable(
                            "Report jobs cannot be queued right now (" + failure.getMessage() + "); retry later."));
        });
    }

    private static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The job for {@code report}: everything a worker needs, so that any worker can run it. */
    private static ReportJob job(ReportRecord report) {
        return ReportJob.forReport(report.type(), report.id(), report.userId(), report.format(), report.createdAt());
    }
}
