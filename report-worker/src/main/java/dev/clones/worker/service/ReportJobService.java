package dev.clones.worker.service;

import dev.clones.common.config.ReplicaIdentity;
import dev.clones.contracts.ReportJob;
import dev.clones.worker.config.WorkerConfig;
import dev.clones.worker.render.ReportFormat;
import dev.clones.worker.render.ReportHeading;
import dev.clones.worker.render.ReportRenderer;
import dev.clones.worker.render.ReportType;
import dev.clones.worker.repository.ReportObjectStore;
import dev.clones.worker.repository.ReportRecordRepository;
import dev.clones.worker.repository.ReportRecordRepository.ClaimResult;
import dev.clones.worker.repository.ShopDataRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Produces one report for one delivery of its job. Safe to run any number of times for the same job, on
 * any worker, even at once: the report is claimed in Redis first (a finished one is not redone), the output
 * object's key depends on the report alone (a redo replaces it, there is never a second one), and done is
 * recorded only after the object is stored.
 */
@ApplicationScoped
public class ReportJobService {

    private static final Logger LOG = Logger.getLogger(ReportJobService.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final ReportRecordRepository records;
    private final ShopDataRepository shop;
    private final ReportRenderer renderer;
    private final ReportObjectStore objects;
    private final WorkerConfig config;
    private final String worker;
    private final MeterRegistry metrics;

    public ReportJobService(ReportRecordRepository records, ShopDataRepository shop, ReportRenderer renderer,
                            ReportObjectStore objects, WorkerConfig config, ReplicaIdentity identity, MeterRegistry metrics) {
        this.records = records;
        this.shop = shop;
        this.renderer = renderer;
        this.objects = objects;
        this.config = config;
        this.worker = identity.servedBy();
        this.metrics = metrics;
    }

    /** A job that names a report and a user; the rest is checked by {@link #run}. */
    public static boolean identifiesReport(ReportJob job) {
        return job.id() != null && ID.matcher(job.id()).matches() && job.userId() != null && !job.userId().isBlank();
    }

    /** Runs one attempt; returns normally when there is nothing more to do, throws when it should be retried. */
    public void run(ReportJob job, int attempt) {
        ReportType type = ReportType.fromWire(job.type())
                .orElseThrow(() -> new InvalidJobException("Unknown report type '" + job.type() + "'."));
        ReportFormat format = ReportFormat.fromWire(job.format())
                .orElseThrow(() -> new InvalidJobException("Unknown report format '" + job.format() + "'."));
        if (!identifiesReport(job)) {
            throw new InvalidJobException("The job names no valid report id and user.");
        }
        checkInput(job, type);

        ClaimResult claim = records.claim(job.id(), job.userId(), attempt, worker);
        switch (claim) {
            case RUNNING -> produce(job, type, format, attempt);
            case FOREIGN -> throw new InvalidJobException("The job's user does not own report " + job.id() + ".");
            default -> {
                // A redelivered job whose report is finished, or a report that is gone: nothing to redo.
                LOG.infof("Report %s is %s; job acknowledged without work", job.id(), claim.name().toLowerCase());
                count("skipped", type);
            }
        }
    }

    /** Marks the report failed with the reason (best effort: if Redis is down too, maintenance fails it later). */
    public void giveUp(ReportJob job, String reason) {
        if (!identifiesReport(job)) {
            return;
        }
        try {
            records.markFailed(job.id(), job.userId(), reason);
            count("failed", ReportType.fromWire(job.type()).orElse(null));
        } catch (RuntimeException e) {
            LOG.warnf("Cannot mark report %s failed now (%s); maintenance will", job.id(), e.toString());
        }
    }

    private void produce(ReportJob job, ReportType type, ReportFormat format, int attempt) {
        LOG.infof("Rendering report %s (%s %s) for user %s, attempt %d", job.id(), type.wireName(), format.wireName(), job.userId(), attempt);
        pause(config.render().delay());
        Timer.Sample sample = Timer.start(metrics);
        ReportHeading heading = new ReportHeading(job.id(), job.userId(), Instant.now());
        byte[] content = switch (type) {
            case ORDERS -> renderer.orders(format, heading, shop.orders(job.userId(), config.render().maxOrders()));
            case CART -> renderer.cart(format, heading, shop.cart(job.userId()));
        };
        String key = objects.keyFor(job.id(), format.extension());
        objects.put(key, content, format.contentType(), type.wireName() + "-report-" + job.id() + "." + format.extension());
        String status = records.markDone(job.id(), job.userId(), key, objects.downloadUrl(key));
        sample.stop(metrics.timer("report.render", "type", type.wireName(), "format", format.wireName()));
        count("done", type);
        LOG.infof("Report %s stored as %s (%d bytes), status %s", job.id(), key, content.length, status);
    }

    private static void checkInput(ReportJob job, ReportType type) {
        ReportJob.Input input = job.input();
        if (input == null) {
            return; // Older publishers: the data set follows from the type and the user.
        }
        if (input.store() != null && !"redis".equals(input.store())) {
            throw new InvalidJobException("Unknown input store '" + input.store() + "'.");
        }
        if (input.dataset() != null && !type.wireName().equals(input.dataset())) {
            throw new InvalidJobException("Input data set '" + input.dataset() + "' does not match report type '" + type.wireName() + "'.");
        }
        if (input.owner() != null && !input.owner().equals(job.userId())) {
            throw new InvalidJobException("A report may only be made of its own user's data.");
        }
    }

    private void count(String outcome, ReportType type) {
        metrics.counter("report.jobs", "outcome", outcome, "type", type == null ? "unknown" : type.wireName()).increment();
    }

    private static void pause(Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while rendering", e);
        }
    }
}
