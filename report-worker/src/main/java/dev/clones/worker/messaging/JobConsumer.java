package dev.clones.worker.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clones.contracts.ReportJob;
import dev.clones.worker.config.WorkerConfig;
import dev.clones.worker.service.Disposition;
import dev.clones.worker.service.JobProcessor;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes jobs off the queue. Each delivery is worked on by one of {@code worker.concurrency} threads (rendering
 * and storage calls block) and acknowledged only when the work is through: a worker that dies before that
 * leaves the message unacknowledged, and the broker hands it to another worker. The prefetch equals the
 * number of threads, so a replica never holds jobs it is not working on.
 */
@ApplicationScoped
// Jobs are parsed here with Jackson; the record lives in contracts, plain Java, so it is registered here.
@RegisterForReflection(targets = {ReportJob.class, ReportJob.Input.class})
public class JobConsumer {

    private static final Logger LOG = Logger.getLogger(JobConsumer.class);

    private final JobProcessor processor;
    private final ObjectMapper json;
    private final ExecutorService workers;
    private final ScheduledExecutorService backoff;

    public JobConsumer(JobProcessor processor, ObjectMapper json, WorkerConfig config) {
        this.processor = processor;
        this.json = json;
        this.workers = Executors.newFixedThreadPool(config.concurrency(), named("report-job-"));
        this.backoff = Executors.newSingleThreadScheduledExecutor(named("report-job-backoff-"));
    }

    @Incoming("report-jobs")
    public CompletionStage<Void> receive(Message<byte[]> message) {
        // Returns at once; the message is acknowledged (or not) by handle(). Until then the broker counts it
        // against this consumer's prefetch, which bounds the jobs in progress here.
        workers.execute(() -> handle(message, attempt(message)));
        return CompletableFuture.completedFuture(null);
    }

    private void handle(Message<byte[]> message, int attempt) {
        Disposition disposition;
        try {
            ReportJob job = json.readValue(message.getPayload(), ReportJob.class);
            disposition = processor.process(job, attempt);
        } catch (IOException e) {
            LOG.warnf("Unreadable job message dead-lettered: %s", e.getMessage());
            disposition = Disposition.deadLetter();
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure handling a job; it will be retried", e);
            disposition = Disposition.retryAfter(java.time.Duration.ofSeconds(1));
        }
        switch (disposition.kind()) {
            case ACK -> message.ack();
            case DEAD_LETTER -> reject(message, false);
            // Held (unacknowledged) during the backoff, then handed back to the queue for any worker; the
            // broker counts the return in x-delivery-count.
            case RETRY -> backoff.schedule(() -> reject(message, true), disposition.delay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void reject(Message<byte[]> message, boolean requeue) {
        message.nack(new JobNotDone(requeue), Metadata.of(new RabbitMQRejectMetadata(requeue)));
    }

    /**
     * 1 for the first delivery. The quorum queue counts returns in {@code x-delivery-count}, whichever worker
     * got the job and however it ended (rejected, or the worker's connection lost).
     */
    static int attempt(Message<?> message) {
        return message.getMetadata(IncomingRabbitMQMetadata.class)
                .flatMap(metadata -> metadata.getHeader("x-delivery-count", Number.class))
                .map(count -> count.intValue() + 1)
                .orElse(1);
    }

    @PreDestroy
    void stop() {
        backoff.shutdownNow();
        workers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The reason handed to the connector with a nack; the outcome itself is logged where it was decided. */
    private static final class JobNotDone extends RuntimeException {
        JobNotDone(boolean requeue) {
            super(requeue ? "job handed back for another attempt" : "job given up", null, false, false);
        }
    }
}
