package dev.clones.media.config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Quarkus refuses bodies over quarkus.http.limits.max-body-size before any resource runs; media-service
 * enforces its own, per endpoint, while streaming. The Quarkus limit must therefore sit above the largest
 * of them, with slack for the data Vert.x reads ahead: a mismatch is a configuration error, reported at
 * start-up instead of as puzzling 413s later.
 */
@ApplicationScoped
public class BodyLimits {

    static final long SLACK = 1024 * 1024;

    void check(@Observes StartupEvent event, MediaConfig config,
               @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> quarkusLimit) {
        long needed = Math.max(config.files().maxSize().asLongValue(), config.avatar().maxSize().asLongValue()) + SLACK;
        if (quarkusLimit.isPresent() && quarkusLimit.get().asLongValue() < needed) {
            throw new IllegalStateException("quarkus.http.limits.max-body-size (" + quarkusLimit.get().asLongValue()
                    + " bytes) must be at least media.files.max-size + 1 MiB (" + needed + " bytes): set "
                    + "QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE along with MEDIA_FILES_MAX_SIZE");
        }
        long parts = (config.files().maxSize().asLongValue() + config.files().partSize().asLongValue() - 1)
                / config.files().partSize().asLongValue();
        if (parts > 10_000) {
            throw new IllegalStateException("media.files.max-size needs " + parts + " parts of media.files.part-size; "
                    + "S3 allows at most 10000: raise the part size");
        }
    }
}
