package dev.clones.media.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * media-service settings. The S3 client itself (endpoint, region, credentials, path-style access,
 * timeouts) is configured through the Quarkus extension's {@code quarkus.s3.*} properties.
 */
@ConfigMapping(prefix = "media")
public interface MediaConfig {

    S3 s3();

    Avatar avatar();

    Files files();

    Uploads uploads();

    interface S3 {
        /** The bucket that holds every object of this service. */
        @WithDefault("clones-media")
        String bucket();

        /**
         * The endpoint written into signed URLs: the address clients can reach, which may differ from the
         * one the service talks to (quarkus.s3.endpoint-override). Defaults to the latter.
         */
        Optional<URI> publicEndpoint();

        /** Creates the bucket at start-up when missing. For development; in production the bucket is provisioned. */
        @WithDefault("false")
        boolean createBucket();

        /**
         * Upper bound for one call that moves bytes (a small object, one part, completing a multipart upload).
         * Other calls are bounded by quarkus.s3.api-call-timeout.
         */
        @WithDefault("PT2M")
        Duration transferTimeout();

        /**
         * Over a plain-HTTP endpoint, send object bodies unsigned with a CRC32 trailer (as the SDK does over
         * HTTPS) instead of signing every 128 KiB chunk: that signing cost a streamed upload most of its
         * throughput. Turn off when the network between the service and storage is not trusted and HTTPS is not
         * an option: then every chunk's signature also proves it was not altered on the way. No effect over HTTPS.
         */
        @WithDefault("true")
        boolean unsignedPayloadOverHttp();
    }

    interface Avatar {
        @WithDefault("5M")
        MemorySize maxSize();

        /** How long a signed avatar URL stays valid; the redirect may be cached for much less (see redirectMaxAge). */
        @WithDefault("P1D")
        Duration urlTtl();

        /**
         * Cache-Control max-age of the avatar redirect: how long a browser or CDN may keep pointing at the old
         * image after the user changed it. Must be well below urlTtl so a cached redirect never points at an
         * expired URL.
         */
        @WithDefault("PT5M")
        Duration redirectMaxAge();
    }

    interface Files {
        @WithDefault("100M")
        MemorySize maxSize();

        /**
         * Size of the parts of a multipart upload (min 5 MiB, the S3 minimum for all parts but the last). Larger
         * parts mean fewer requests to storage but more memory per buffer (see partBuffers).
         */
        @WithDefault("8M")
        MemorySize partSize();

        /**
         * Parts of one upload sent to storage at once, while the next is read from the client. One part at a
         * time leaves the upload waiting on each part's round trip and on the storage server's write of it;
         * four keep the link to storage busy (on the project's benchmark, more gained nothing) without taking
         * every buffer of the replica for one client.
         */
        @WithDefault("4")
        int partsInFlight();

        /**
         * The replica's whole budget of part buffers, shared by all uploads in progress: the heap that
         * streaming uploads may take is this times partSize (default 8 x 8 MiB = 64 MiB, half of a 128 MiB
         * heap), whatever the number and size of the bodies. Each upload holds two while it runs, so this must
         * be at least 2 x concurrentUploads; the rest go to uploads that can send more parts at once.
         */
        @WithDefault("8")
        int partBuffers();

        /**
         * How much of an upload's body the service accepts from the network ahead of what it has read (per
         * upload, on top of the part buffers). Without read-ahead every network chunk of a few KiB waited
         * for the worker to ask for it; 1 MiB keeps the connection flowing while a part buffer is filled.
         */
        @WithDefault("1M")
        MemorySize readAhead();

        /**
         * Streaming uploads in progress at once on one replica, each holding at least two part buffers of
         * partBuffers. One more is answered 503 (retry elsewhere) after bufferWait.
         */
        @WithDefault("4")
        int concurrentUploads();

        /** How long a request waits for a free part buffer before it is answered 503. */
        @WithDefault("PT2S")
        Duration bufferWait();

        @WithDefault("PT15M")
        Duration downloadUrlTtl();

        /**
         * Files one user may keep. Storage is shared by every user: without a bound, one account could fill it.
         * Over it, an upload is answered 429 until files are deleted.
         */
        @WithDefault("1000")
        int maxFilesPerUser();

        /** Bytes of files one user may keep, counting every stored file; an upload that would pass it is answered 413. */
        @WithDefault("1G")
        MemorySize maxBytesPerUser();
    }

    interface Uploads {
        /** Validity of a presigned PUT handed to a client for a direct upload. */
        @WithDefault("PT10M")
        Duration urlTtl();

        /** Time after the URL expired during which the upload may still be completed. */
        @WithDefault("PT1H")
        Duration completionGrace();

        /**
         * Direct uploads one user may have pending (started, not completed, deadline not passed): each holds a
         * signed URL and a reservation in storage. One more is answered 429.
         */
        @WithDefault("10")
        int maxPendingPerUser();
    }
}
