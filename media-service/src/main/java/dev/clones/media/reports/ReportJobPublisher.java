package dev.clones.media.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clones.contracts.ReportJob;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.time.ZoneOffset;

/**
 * Publishes report jobs: persistent messages on the {@code reports} exchange, each confirmed by the broker
 * (publisher confirms) before the returned Uni completes. It fails when the broker refuses the job (the queue
 * is full: {@code x-overflow: reject-publish}), when the broker is unreachable, or when no confirm arrives in
 * time; the caller then answers 503.
 */
@ApplicationScoped
// The job is serialised here with Jackson; the record lives in contracts, plain Java, so it is registered here.
@RegisterForReflection(targets = {ReportJob.class, ReportJob.Input.class})
public class ReportJobPublisher {

    private final MutinyEmitter<String> jobs;
    private final ReportQueueTopology topology;
    private final ObjectMapper json;
    private final ReportsConfig config;

    public ReportJobPublisher(@Channel("report-jobs") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 256)
                              MutinyEmitter<String> jobs,
                              ReportQueueTopology topology, ObjectMapper json, ReportsConfig config) {
        this.jobs = jobs;
        this.topology = topology;
        this.json = json;
        this.config = config;
    }

    public Uni<Void> publish(ReportJob job) {
        if (!topology.isDeclared()) {
            return Uni.createFrom().failure(new JobNotAccepted("the job queue is not reachable"));
        }
        String body;
        try {
            body = json.writeValueAsString(job);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        Message<String> message = Message.of(body).addMetadata(OutgoingRabbitMQMetadata.builder()
                .withRoutingKey("report")
                .withDeliveryMode(2)
                .withContentType("application/json")
                .withMessageId(job.id())
                .withTimestamp(job.requestedAt().atZone(ZoneOffset.UTC))
                .build());
        return Uni.createFrom().deferred(() -> jobs.sendMessage(message))
                .ifNoItem().after(config.publishTimeout()).failWith(() -> new JobNotAccepted("no confirmation from the broker within " + config.publishTimeout()))
                .onFailure(failure -> !(failure instanceof JobNotAccepted))
                .transform(failure -> new JobNotAccepted("the broker refused the job: " + failure.getMessage()));
    }

    /** The broker did not take the job; nothing was promised to the client. */
    public static final class JobNotAccepted extends RuntimeException {
        JobNotAccepted(String message) {
            super(message, null, false, false);
        }
    }
}
