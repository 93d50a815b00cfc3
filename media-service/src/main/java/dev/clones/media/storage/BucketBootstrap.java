package dev.clones.media.storage;

import dev.clones.media.config.MediaConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Creates the bucket at start-up when configured to (development stacks). Retries in the background while
 * storage is away, so that the service may start before its storage does; readiness stays DOWN meanwhile.
 * In production the bucket is provisioned with the storage, and a missing one fails readiness instead.
 */
@ApplicationScoped
public class BucketBootstrap {

    private static final Logger LOG = Logger.getLogger(BucketBootstrap.class);

    private final ObjectStorage storage;
    private final boolean create;

    public BucketBootstrap(ObjectStorage storage, MediaConfig config) {
        this.storage = storage;
        this.create = config.s3().createBucket();
    }

    void onStart(@Observes StartupEvent event) {
        if (!create) {
            return;
        }
        Uni.createFrom().item(() -> {
                    storage.createBucketIfMissing();
                    return storage.bucket();
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().invoke(failure -> LOG.warnf("Cannot create bucket %s yet: %s", storage.bucket(), failure.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(10)).indefinitely()
                .subscribe().with(bucket -> LOG.infof("Bucket %s is ready", bucket),
                        failure -> LOG.errorf(failure, "Could not create bucket %s", storage.bucket()));
    }
}
