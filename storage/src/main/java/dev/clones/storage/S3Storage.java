package dev.clones.storage;

import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What media-service and report-worker both do with object storage, written once: sign URLs for the endpoint
 * clients reach, create a bucket that several replicas race to create, read "not found" as empty, and tell an
 * outage of storage from a request storage refused. Static and stateless: each service keeps its own S3 client
 * (configured by quarkus-amazon-s3) and its own presigner built here.
 */
public final class S3Storage {

    private static final Logger LOG = Logger.getLogger(S3Storage.class);

    private S3Storage() {
    }

    /**
     * A presigner with {@code s3}'s region and credentials, for {@code publicEndpoint} (else the client's own
     * endpoint, else the provider's default). A signature covers the host, so URLs must be signed for the host a
     * client's browser reaches, which inside a cluster is not the one the service talks to. Path-style
     * ({@code http://host/bucket/key}), as both services configure their client: it works with every
     * S3-compatible server and needs no wildcard DNS for bucket subdomains. The caller closes it.
     */
    public static S3Presigner publicPresigner(S3Client s3, Optional<URI> publicEndpoint) {
        var client = s3.serviceClientConfiguration();
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(client.region())
                .credentialsProvider(client.credentialsProvider())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        publicEndpoint.or(client::endpointOverride).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** True when the bucket exists; false when the server says it does not; throws when the server cannot be asked. */
    public static boolean bucketExists(S3Client s3, String bucket) {
        return unlessNotFound(() -> s3.headBucket(b -> b.bucket(bucket))).isPresent();
    }

    /**
     * Creates the bucket unless it exists. Several replicas (of either service) may race here, and all succeed:
     * "already yours", "already exists" and 409 mean another one was faster. True when this call created it.
     */
    public static boolean createBucketIfMissing(S3Client s3, String bucket) {
        if (bucketExists(s3, bucket)) {
            return false;
        }
        try {
            s3.createBucket(b -> b.bucket(bucket));
            LOG.infof("Created bucket %s", bucket);
            return true;
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() != 409) {
                throw e;
            }
            return false;
        }
    }

    /**
     * The answer of {@code call}, or empty when storage says the bucket or key does not exist (as an exception
     * type or, from servers that answer a HEAD with a bare 404, as the status). Any other failure is thrown.
     */
    public static <T> Optional<T> unlessNotFound(Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * True when {@code failure} means storage is away or broken rather than the request being wrong: no answer at
     * all (refused, timed out, broken off), a server error, refused credentials or a missing bucket (both
     * deployment faults). Callers answer those as an outage of a shared backing service: retryable, on any replica.
     */
    public static boolean isOutage(Throwable failure) {
        if (failure instanceof SdkClientException) {
            return true;
        }
        return failure instanceof S3Exception e
                && (e instanceof NoSuchBucketException || e.statusCode() >= 500 || e.statusCode() == 403);
    }
}
