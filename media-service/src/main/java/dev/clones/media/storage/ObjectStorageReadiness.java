package dev.clones.media.storage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the bucket can be reached: a replica that cannot store or find files takes no traffic.
 * Says plainly what is wrong, since a missing bucket is a deployment mistake to fix, not a transient fault.
 * (Runs on a worker thread; the S3 client's timeouts bound it.)
 */
@Readiness
@ApplicationScoped
public class ObjectStorageReadiness implements HealthCheck {

    private final ObjectStorage storage;

    public ObjectStorageReadiness(ObjectStorage storage) {
        this.storage = storage;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("object-storage")
                .withData("bucket", storage.bucket())
                .withData("endpoint", String.valueOf(storage.endpoint()));
        try {
            if (storage.bucketExists()) {
                return response.up().build();
            }
            return response.down().withData("error", "The bucket " + storage.bucket() + " does not exist. Create it, "
                    + "or set MEDIA_S3_CREATE_BUCKET=true to have the service create it (development only).").build();
        } catch (RuntimeException e) {
            return response.down().withData("error", "Object storage cannot be reached: " + e.getMessage()).build();
        }
    }
}
