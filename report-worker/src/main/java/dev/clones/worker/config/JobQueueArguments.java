package dev.clones.worker.config;

import dev.clones.contracts.ReportQueue;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.util.Map;

/**
 * The job queue's arguments, from {@link ReportQueue} as media-service declares them too; the connector adds them
 * to its declaration ({@code queue.arguments=report-jobs-arguments}). Its own attributes in application.properties
 * (names, type, delivery limit, dead letters) repeat some of them, with the same values; JobQueueAttributesTest
 * compares those with {@link ReportQueue}.
 */
@ApplicationScoped
public class JobQueueArguments {

    @Produces
    @Identifier("report-jobs-arguments")
    Map<String, Object> reportJobsArguments(WorkerConfig config) {
        return ReportQueue.queueArguments(config.retry().maxAttempts(), config.queue().maxLength());
    }
}
