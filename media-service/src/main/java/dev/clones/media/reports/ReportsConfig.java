package dev.clones.media.reports;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Reports: what media-service needs to accept report requests and hand them to the workers. */
@ConfigMapping(prefix = "media.reports")
public interface ReportsConfig {

    /** A report (record and file) is kept this long after it was requested, then removed by maintenance. */
    @WithDefault("P7D")
    Duration retention();

    /**
     * Longest wait for the broker to confirm a job. Past it the request is answered 503 and the report is
     * withdrawn: a 202 is only ever sent for a job the broker has taken.
     */
    @WithDefault("PT3S")
    Duration publishTimeout();

    /** How long an Idempotency-Key keeps answering with the report it made. */
    @WithDefault("P1D")
    Duration idempotencyKeyRetention();

    /** Lifetime of the signed download URL in a report's view. */
    @WithDefault("PT15M")
    Duration downloadUrlTtl();

    Queue queue();

    Broker broker();

    /**
     * The job queue's arguments. report-worker declares the same queue with the same values (its
     * {@code worker.retry.max-attempts} and {@code worker.queue.max-length}); whichever starts first creates it,
     * and a queue's arguments cannot change afterwards, so the two must be changed together.
     */
    interface Queue {
        @WithDefault("5")
        long deliveryLimit();

        /** Jobs waiting at most; past it the broker refuses new ones and the request is answered 503. */
        @WithDefault("10000")
        long maxLength();
    }

    /** The broker, as the connector sees it ({@code RABBITMQ_HOST}, ...): the topology is declared on its own connection. */
    interface Broker {
        @WithDefault("localhost")
        String host();

        @WithDefault("5672")
        int port();

        @WithDefault("guest")
        String username();

        @WithDefault("guest")
        String password();

        @WithDefault("false")
        boolean ssl();

        /**
         * Every node of a broker cluster as {@code host:port,host:port}; when given it replaces host and port, and
         * a connection whose node dies is opened again on another. The same value as the connector's
         * {@code rabbitmq-addresses}, so both of media-service's connections reach the same nodes.
         */
        Optional<String> addresses();
    }

    /**
     * Reports one user may have queued or running at once. The job queue is shared by every user and bounded
     * (x-max-length): without this, one account could fill it and every other user's requests would be refused.
     */
    @WithDefault("5")
    int maxActivePerUser();
}
