package dev.clones.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything report-worker can be tuned with ({@code WORKER_RETRY_MAX_ATTEMPTS}, ...). Nothing here is
 * per-replica state: any number of workers given the same values behave the same, and any of them may
 * take any job.
 */
@ConfigMapping(prefix = "worker")
public interface WorkerConfig {

    /**
     * Jobs worked on at once by this replica. The broker never hands it more unacknowledged jobs than
     * this (the consumer's prefetch, {@code max-outstanding-messages}, is set from it).
     */
    @WithDefault("2")
    int concurrency();

    Queue queue();

    Retry retry();

    Render render();

    Storage storage();

    Notifications notifications();

    Maintenance maintenance();

    /**
     * The job queue's own arguments beyond those the connector has attributes for (see application.properties).
     * media-service declares the same queue with the same values: a queue's arguments cannot change once it
     * exists, and whoever declares first must not make the other fail.
     */
    interface Queue {
        /**
         * Most jobs waiting at once. Past it the broker refuses new jobs ({@code x-overflow: reject-publish}):
         * the publisher gets a nack and answers 503 instead of letting a flood pile up.
         */
        @WithDefault("10000")
        long maxLength();

        /**
         * AMQP heartbeat with the broker, in seconds: a worker silent for about twice this (frozen, cut off)
         * loses its connection and the broker hands its unacknowledged jobs to other workers. Short, so that
         * the jobs of a worker that hangs move on soon; benchmarks that stop a worker on purpose raise it.
         */
        @WithDefault("10")
        int heartbeatSeconds();
    }

    interface Retry {
        /**
         * Deliveries of one job before it is given up: marked {@code failed} and dead-lettered. The queue's
         * {@code x-delivery-limit} is set to the same number, so the broker dead-letters on its own a job
         * that kills every worker taking it (one delivery more than the worker would allow).
         */
        @WithDefault("5")
        int maxAttempts();

        /** Wait before the second attempt; doubled for every further attempt, up to {@link #maxBackoff()}. */
        @WithDefault("PT1S")
        Duration initialBackoff();

        @WithDefault("PT30S")
        Duration maxBackoff();
    }

    interface Render {
        /** Pause before rendering each report. Zero in production; tests make jobs slow with it to kill a worker mid-job. */
        @WithDefault("PT0S")
        Duration delay();

        /** Orders beyond this many (the newest are kept) are left out of one report, which says so. */
        @WithDefault("5000")
        int maxOrders();
    }

    interface Storage {
        /** Bucket shared with media-service; reports live under {@link #reportPrefix()}. */
        @WithDefault("clones-media")
        String bucket();

        @WithDefault("reports/")
        String reportPrefix();

        /** Creates the bucket at start-up when missing (local stacks and tests; on a cluster it is provisioned). */
        @WithDefault("false")
        boolean createBucket();

        /**
         * Object storage as clients reach it, for the signed URLs in notifications; defaults to the endpoint
         * the worker itself uses ({@code quarkus.s3.endpoint-override}).
         */
        Optional<URI> publicEndpoint();

        /** Lifetime of the signed download URL sent in a {@code report.done} notification. */
        @WithDefault("PT15M")
        Duration downloadUrlTtl();
    }

    interface Notifications {
        /**
         * Most events kept per user (the newest), for clients that reconnect or poll with the last eventId they
         * saw. A client that missed more than this gets a resync and reloads over HTTP. 100 is a few days of
         * reports for a busy user and a few KB of Redis per user; media-service reads whatever is kept.
         */
        @WithDefault("100")
        int historyMaxEvents();

        /**
         * Longest an event is kept, and how long after a user's last event the whole history expires. A day covers
         * a laptop closed overnight-ish and a phone offline for hours; older events concern download URLs long
         * expired (see {@link Storage#downloadUrlTtl()}), so the client would reload anyway.
         */
        @WithDefault("PT24H")
        Duration historyMaxAge();
    }

    interface Maintenance {
        /**
         * An object under the report prefix whose report record is gone (expired or deleted) is deleted once
         * it is older than this. The record is always written before the object, so any grace is safe; it
         * only keeps listings stable while a report is being produced.
         */
        @WithDefault("PT10M")
        Duration orphanGrace();

        /** A report {@code running} untouched for this long was abandoned by crashed workers and is marked failed. */
        @WithDefault("PT1H")
        Duration staleRunningAfter();

        /** A report still {@code queued} after this long lost its job (e.g. its publisher died before publishing). */
        @WithDefault("P1D")
        Duration staleQueuedAfter();

        /** Direct uploads announced but never completed are deleted this long after their upload URL expired. */
        @WithDefault("PT1H")
        Duration abandonedUploadGrace();

        /** Multipart uploads started longer ago than this and never completed are aborted (their parts freed). */
        @WithDefault("P1D")
        Duration incompleteMultipartAge();

        /** Keys examined per SCAN step, to keep each Redis call short while sweeping. */
        @WithDefault("200")
        int scanCount();
    }
}
