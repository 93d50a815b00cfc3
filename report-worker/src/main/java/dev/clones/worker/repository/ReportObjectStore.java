package dev.clones.worker.repository;

import dev.clones.storage.S3Storage;
import dev.clones.worker.config.WorkerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Report objects in the media bucket, one per report: {@code reports/<reportId>.<ext>}. The key depends on
 * the report only, so however often a job is redone there is one object, and a write replaces a half-done
 * attempt's object whole (a PUT is atomic: readers see the old object or the new one, never a mix).
 */
@ApplicationScoped
public class ReportObjectStore {

    private static final Logger LOG = Logger.getLogger(ReportObjectStore.class);

    private final S3Client s3;
    private final WorkerConfig.Storage config;
    private final S3Presigner presigner;

    public ReportObjectStore(S3Client s3, WorkerConfig config) {
        this.s3 = s3;
        this.config = config.storage();
        this.presigner = S3Storage.publicPresigner(s3, this.config.publicEndpoint());
    }

    void createBucketIfAsked(@Observes StartupEvent ignored) {
        if (!config.createBucket()) {
            return;
        }
        try {
            S3Storage.createBucketIfMissing(s3, config.bucket());
        } catch (RuntimeException e) {
            // Storage down at start-up: jobs fail and are retried until it is back; the bucket is made then.
            LOG.warnf("Cannot create bucket %s now: %s", config.bucket(), e.toString());
        }
    }

    public String reportPrefix() {
        return config.reportPrefix();
    }

    public String keyFor(String reportId, String extension) {
        return config.reportPrefix() + reportId + "." + extension;
    }

    public void put(String key, byte[] content, String contentType, String downloadName) {
        try {
            write(key, content, contentType, downloadName);
        } catch (NoSuchBucketException e) {
            if (!config.createBucket()) {
                throw e;
            }
            createBucketIfAsked(null);
            write(key, content, contentType, downloadName);
        }
    }

    /** A signed GET URL for clients, on the public endpoint. */
    public String downloadUrl(String key) {
        return presigner.presignGetObject(p -> p.signatureDuration(config.downloadUrlTtl())
                        .getObjectRequest(g -> g.bucket(config.bucket()).key(key)))
                .url().toString();
    }

    /** Calls {@code each} for every object under the report prefix. */
    public void forEachReportObject(Consumer<S3Object> each) {
        forEachObject(config.reportPrefix(), each);
    }

    public void forEachObject(String prefix, Consumer<S3Object> each) {
        s3.listObjectsV2Paginator(l -> l.bucket(config.bucket()).prefix(prefix))
                .contents().forEach(each);
    }

    /** Deletes an object of the bucket (a report's or media-service's). */
    public void delete(String key) {
        // Deleting what is already gone succeeds: two sweeps at once end the same way.
        s3.deleteObject(d -> d.bucket(config.bucket()).key(key));
    }

    /** Aborts every multipart upload in progress to exactly {@code key}. */
    public void abortMultipartUploadsOf(String key) {
        for (MultipartUpload upload : s3.listMultipartUploadsPaginator(l -> l.bucket(config.bucket()).prefix(key)).uploads()) {
            if (key.equals(upload.key())) {
                s3.abortMultipartUpload(a -> a.bucket(config.bucket()).key(key).uploadId(upload.uploadId()));
            }
        }
    }

    /** Aborts multipart uploads started before {@code cutoff} (parts left by a writer that died); answers how many. */
    public int abortMultipartUploadsStartedBefore(Instant cutoff) {
        int aborted = 0;
        for (MultipartUpload upload : s3.listMultipartUploadsPaginator(l -> l.bucket(config.bucket())).uploads()) {
            if (upload.initiated() != null && upload.initiated().isBefore(cutoff)) {
                s3.abortMultipartUpload(a -> a.bucket(config.bucket()).key(upload.key()).uploadId(upload.uploadId()));
                aborted++;
            }
        }
        return aborted;
    }

    public String bucket() {
        return config.bucket();
    }

    @PreDestroy
    void close() {
        presigner.close();
    }

    private void write(String key, byte[] content, String contentType, String downloadName) {
        s3.putObject(p -> p.bucket(config.bucket()).key(key).contentType(contentType)
                        .contentDisposition("attachment; filename=\"" + downloadName + "\""),
                RequestBody.fromBytes(content));
    }

    /** How long a signed URL stays valid. */
    public Duration downloadUrlTtl() {
        return config.downloadUrlTtl();
    }
}
