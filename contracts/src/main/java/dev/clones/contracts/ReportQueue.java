package dev.clones.contracts;

import java.util.Map;

/**
 * The broker topology of report jobs, declared by both sides: media-service (with the Vert.x RabbitMQ client,
 * before it publishes) and report-worker (through its RabbitMQ connector's attributes, which a test compares with
 * this class). A broker refuses a second declaration whose arguments differ, so both take them from here.
 *
 * <pre>
 *   exchange reports (direct)  --report, maintenance-->  report-jobs (quorum, delivery limit, bounded,
 *                                                          dead letters at least once to reports.dlx)
 *   reports.dlx (direct)       --report-jobs-->          report-jobs.dlq (quorum)
 * </pre>
 */
public final class ReportQueue {

    public static final String EXCHANGE = "reports";
    public static final String EXCHANGE_TYPE = "direct";
    public static final String QUEUE = "report-jobs";
    public static final String QUEUE_TYPE = "quorum";
    /** Routing key of report jobs (media-service). */
    public static final String REPORT_ROUTING_KEY = "report";
    /** Routing key of maintenance jobs (report-worker's timer). */
    public static final String MAINTENANCE_ROUTING_KEY = "maintenance";
    public static final String DEAD_LETTER_EXCHANGE = "reports.dlx";
    /** Dead letters keep the queue's name as their routing key, so one DLX could serve several queues. */
    public static final String DEAD_LETTER_ROUTING_KEY = QUEUE;
    public static final String DEAD_LETTER_QUEUE = "report-jobs.dlq";

    private ReportQueue() {
    }

    /**
     * The job queue's arguments. {@code deliveryLimit}: deliveries before the broker dead-letters a job (a worker
     * that dies mid-job costs one). {@code maxLength}: jobs waiting before the broker refuses new ones. Both are
     * longs because a broker compares the arguments of a second declaration with their types: the RabbitMQ
     * connector sends its own {@code x-delivery-limit} attribute as a long.
     */
    public static Map<String, Object> queueArguments(long deliveryLimit, long maxLength) {
        return Map.of(
                "x-queue-type", QUEUE_TYPE,
                "x-delivery-limit", deliveryLimit,
                "x-max-length", maxLength,
                // A full queue refuses new jobs (the publisher sees a nack) instead of dropping old ones.
                "x-overflow", "reject-publish",
                "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE,
                "x-dead-letter-routing-key", DEAD_LETTER_ROUTING_KEY,
                // Dead-lettering hands the message over with publisher confirms: a failed job is never lost on its
                // way to the dead-letter queue. Quorum queues allow this only together with reject-publish.
                "x-dead-letter-strategy", "at-least-once");
    }

    /** The dead-letter queue's arguments: quorum, so that a failed job survives the loss of a broker node. */
    public static Map<String, Object> deadLetterQueueArguments() {
        return Map.of("x-queue-type", QUEUE_TYPE);
    }
}
