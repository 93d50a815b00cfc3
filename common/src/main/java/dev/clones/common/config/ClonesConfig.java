package dev.clones.common.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Configuration every service shares. Nothing here is per-replica state: two replicas
 * given the same values behave the same.
 */
@ConfigMapping(prefix = "clones")
public interface ClonesConfig {

    /** Name of this replica in {@code X-Served-By}; defaults to the host name (the pod name on Kubernetes). */
    Optional<String> replicaId();

    Session session();

    Http http();

    Redis redis();

    NearCache nearCache();

    Demo demo();

    interface Session {
        /**
         * The session cookie's base name. With {@link #cookieSecure()} the cookie is {@code __Host-<name>}: a browser
         * then takes it only over HTTPS, for this host, with {@code Path=/}, so neither a sibling subdomain nor a
         * plain-HTTP page can plant a session of its choosing (see SessionCookieNames).
         */
        @WithDefault("SID")
        String cookieName();

        /**
         * While true, a plain {@link #cookieName()} cookie is still accepted beside the {@code __Host-} one: the
         * transition for browsers holding a cookie issued before {@code Secure} was turned on. Turn it off once
         * those sessions are past their absolute timeout. Without {@code Secure} the plain name is the only one.
         */
        @WithDefault("true")
        boolean acceptUnprefixedCookie();

        /** Adds {@code Secure} to the session cookie; on behind TLS, off for plain-HTTP local stacks. */
        @WithDefault("false")
        boolean cookieSecure();

        /**
         * A session unused for this long is gone. Its clock is restarted by an authenticated request at
         * most once per {@link #refreshInterval()}, so a session may end up to that much earlier.
         */
        @WithDefault("PT30M")
        Duration idleTimeout();

        /** A session older than this is gone, however busy: exact, whatever the refresh interval. */
        @WithDefault("PT12H")
        Duration absoluteTimeout();

        /**
         * How long after the last refresh of a session's idle timeout a request refreshes it again; a
         * request within the interval writes nothing, so reads of a page cost no write in Redis (and
         * no fsync). Default: the smaller of 60 s and a tenth of the idle timeout, so idle expiry is
         * exact to within 10 %.
         */
        Optional<Duration> refreshInterval();

        default Duration effectiveRefreshInterval() {
            Duration tenth = idleTimeout().dividedBy(10);
            return refreshInterval().orElse(tenth.compareTo(Duration.ofSeconds(60)) < 0 ? tenth : Duration.ofSeconds(60));
        }
    }

    interface Http {
        /**
         * Origins allowed to make cookie-authenticated state changes (scheme://host[:port]).
         * Requests with a bearer token or without an {@code Origin} header are not affected.
         */
        @WithDefault("http://127.0.0.1:8080,http://localhost:8080")
        List<String> allowedOrigins();

        /**
         * The largest request body of every endpoint but {@link #streamingPaths()}: JSON bodies are parsed in
         * memory, and the largest the API takes (a cart line, a profile, a report request) is well under 1 KiB.
         * Checked on {@code Content-Length} before any byte is read and before authentication, so an anonymous
         * client cannot make a replica read megabytes to answer 4xx.
         */
        @WithDefault("64K")
        MemorySize maxBodySize();

        /**
         * Exact paths whose bodies are streamed, not parsed (media's uploads), limited by
         * {@code quarkus.http.limits.max-body-size} and by their own per-endpoint limits instead. None by default.
         */
        Optional<List<String>> streamingPaths();
    }

    interface Redis {
        /** Upper bound for one Redis round trip; past it the request fails with 503 instead of hanging. */
        @WithDefault("PT2S")
        Duration callTimeout();

        /**
         * How many replicas must confirm a write the user is told succeeded, asked with Redis {@code WAIT} on the
         * connection that wrote it: with Sentinel, a write acknowledged by a primary that dies before replicating
         * it is gone after the failover, so a success is only answered once it is on a replica too. 0 on a single
         * Redis (no replica to ask, and no extra round trip), 1 with Sentinel; the stack sets
         * {@code CLONES_REDIS_WRITE_REPLICAS}.
         */
        @WithDefault("0")
        int writeReplicas();

        /**
         * How long a write waits for that confirmation before the request answers 503, so that the client retries
         * instead of waiting on a replica that may never come: the idempotency keys make the retry safe (a retried
         * checkout answers the order already made). Kept well below {@link #callTimeout()}, which bounds the write
         * and the wait together.
         */
        @WithDefault("PT0.5S")
        Duration replicaTimeout();

        /**
         * Quarkus's {@code quarkus.redis.client-type}, read here because two things differ on a Redis Cluster: a
         * confirmation's marker must be a write in the slot of the keys it follows (a cluster does not replicate
         * {@code PUBLISH}), and near caches stay off (each node reports only its own keys' changes). Follows that
         * property; not to be set on its own.
         */
        @WithDefault("${quarkus.redis.client-type:standalone}")
        String clientType();

        default boolean cluster() {
            return "cluster".equalsIgnoreCase(clientType());
        }
    }

    /**
     * Sessions (and, in auth-service, profiles) kept in the replica's memory only while Redis's
     * client-side caching provably tells this replica of every change (see NearCacheFeed).
     */
    interface NearCache {
        /** Off: every read goes to Redis (the feed still runs, so this replica's changes wait for the others). */
        @WithDefault("true")
        boolean enabled();

        /** Most entries one cache holds; past it an eighth of them is dropped. About 1 KiB an entry. */
        @WithDefault("20000")
        int maxEntries();

        /**
         * How often a replica proves its invalidation connection with a heartbeat. Its caches are used
         * only while the last heartbeat that came back was sent less than four heartbeats ago, which is
         * also the longest a change waits for a replica that does not confirm it.
         */
        @WithDefault("PT0.5S")
        Duration heartbeatInterval();

        /**
         * How long a replica's lease in Redis lasts; renewed every third of it (one small write). A
         * replica uses its caches only while it holds a lease, and a change waits for the confirmation
         * of every replica holding one, so no replica can miss a change unnoticed.
         */
        @WithDefault("PT10S")
        Duration lease();

        /** Pub/sub channel on which a replica that changed a cached key asks every other to confirm they dropped it. */
        @WithDefault("near-cache.barrier")
        String channel();
    }

    interface Demo {
        /**
         * Reproduces the incident this project answers: sessions in each replica's memory.
         * Refused unless the process was started by the local stack ({@code ./stack up --stateful-demo}).
         */
        @WithDefault("false")
        boolean replicaLocalSessions();
    }
}
