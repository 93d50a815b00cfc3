package dev.clones.common.config;

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

    Demo demo();

    interface Session {
        @WithDefault("SID")
        String cookieName();

        /** Adds {@code Secure} to the session cookie; on behind TLS, off for plain-HTTP local stacks. */
        @WithDefault("false")
        boolean cookieSecure();

        /** A session unused for this long is gone. Refreshed on every authenticated request. */
        @WithDefault("PT30M")
        Duration idleTimeout();

        /** A session older than this is gone, however busy. */
        @WithDefault("PT12H")
        Duration absoluteTimeout();
    }

    interface Http {
        /**
         * Origins allowed to make cookie-authenticated state changes (scheme://host[:port]).
         * Requests with a bearer token or without an {@code Origin} header are not affected.
         */
        @WithDefault("http://127.0.0.1:8080,http://localhost:8080")
        List<String> allowedOrigins();
    }

    interface Redis {
        /** Upper bound for one Redis round trip; past it the request fails with 503 instead of hanging. */
        @WithDefault("PT2S")
        Duration callTimeout();
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
