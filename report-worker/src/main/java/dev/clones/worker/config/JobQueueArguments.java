package dev.clones.worker.config;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.util.Map;

/**
 * Arguments of the job queue that the RabbitMQ connector has no attribute for; the connector adds them to
 * its declaration ({@code queue.arguments=report-jobs-arguments}).
 */
@ApplicationScoped
public class JobQueueArguments {

    @Produces
    @Identifier("report-jobs-arguments")
    Map<String, Object> reportJobsArguments(WorkerConfig config) {
        return Map.of(
                // A full queue refuses new jobs (the publisher sees a nack) instead of dropping old ones.
                "x-overflow", "reject-publish",
                // Dead-lettering hands the message over with publisher confirms: a failed job is never lost on
                // its way to the dead-letter queue. Quorum queues allow this only together with reject-publish.
                "x-dead-letter-strategy", "at-least-once",
                "x-max-length", config.queue().maxLength());
    }
}
