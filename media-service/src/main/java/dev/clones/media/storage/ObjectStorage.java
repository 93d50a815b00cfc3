package dev.clones.media.storage;

import dev.clones.media.config.MediaConfig;
import dev.clones.storage.S3Storage;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Everything media-service does in object storage. The S3 client talks to the internal endpoint; signed
 * URLs are made by a presigner built for the public endpoint, because that is the host the signature
 * covers and the one a client's browser reaches.
 *
 * <p>All calls block: callers run on worker threads.
 */
@ApplicationScoped
public class ObjectStorage {

    private static final Logger LOG = Logger.getLogger(ObjectStorage.class);
    private static final String BINARY = "application/octet-stream";
    /** Part uploads run beside the thread reading the body; memory is bounded by PartBuffers, not by threads. */
    private static final ExecutorService PART_UPLOADS = Executors.newVirtualThreadPerTaskExecutor();

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final AwsRequestOverrideConfiguration transfer;
    private final URI endpoint;

    public ObjectStorage(S3Client s3, MediaConfig config) {
        this.s3 = s3;
        this.bucket = config.s3().bucket();
        AwsRequestOverrideConfiguration.Builder transfer = AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(config.s3().transferTimeout());
        if (config.s3().unsignedPayloadOverHttp()) {
            transfer.addPlugin(UnsignedPayloadOverHttp.INSTANCE);
        }
        this.transfer = transfer.build();
        var client = s3.serviceClientConfiguration();
        this.endpoint = client.endpointOverride().orElse(null);
        this.presigner = S3Storage.publicPresigner(s3, config.s3().publicEndpoint());
    }

    @PreDestroy
    void close() {
        presigner.close();
    }

    public String bucket() {
        return bucket;
    }

    /** Where the service sends its requests (null: the provider's default endpoint). */
    public URI endpoint() {
        return endpoint;
    }

    // --- bucket ---------------------------------------------------------------------------

    /** True when the bucket exists; false when the server says it does not; throws when the server cannot be asked. */
    public boolean bucketExists() {
        return S3Storage.bucketExists(s3, bucket);
    }

    /** Creates the bucket unless it exists; several replicas may race here, and all succeed. */
    public void createBucketIfMissing() {
        S3Storage.createBucketIfMissing(s3, bucket);
    }

    // --- writing --------------------------------------------------------------------------

    /** Stores {@code length} bytes of {@code bytes} in one PUT: the object appears whole or not at all. */
    public void put(String key, String contentType, byte[] bytes, int length, String cacheControl) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) length)
                        .cacheControl(cacheControl).overrideConfiguration(transfer),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, contentType));
    }

    /**
     * Streams {@code body} into the object {@code key} through the part buffers of {@code memory}. A body
     * shorter than one part is a single PUT; a longer one is a multipart upload whose parts are sent while
     * the next ones are read from the client, up to {@link PartMemory#partsInFlight()} at once. Reading
     * from the body waits (back-pressure on the client) whenever that many parts are in flight or no buffer
     * is free, so memory stays within what {@code memory} lends, whatever the size of the body. The body is
     * read once, in order, by the calling thread (a hash over it sees every byte in order); parts are listed
     * in CompleteMultipartUpload by part number, only after the last byte arrived and every part is stored.
     *
     * <p>Whatever goes wrong (the body breaks off, the caller's stream throws because a limit was passed,
     * storage fails), every part in flight is waited for and only then is the multipart upload aborted, so
     * no part can land after the abort: no object, whole or partial, appears under {@code key}, and no
     * pending multipart upload remains. Should the abort itself fail, {@link LeftBehind} is thrown, with the
     * original failure as its cause; if this process dies mid-way, the key's reservation in Redis lets the
     * maintenance job abort the upload. On return, every buffer taken from {@code memory} has been handed
     * back to it ({@link PartMemory#done}).
     */
    public void upload(String key, String contentType, InputStream body, PartMemory memory) throws IOException {
        byte[] current = memory.idle();
        int filled = body.readNBytes(current, 0, current.length);
        if (filled < current.length) {
            try {
                put(key, contentType, current, filled, null);
            } finally {
                memory.done(current);
            }
            return;
        }
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
        } catch (RuntimeException e) {
            memory.done(current);
            throw e;
        }
        // Oldest first; parts are finished from the head only, so `stored` stays in part-number order.
        ArrayDeque<Part> inFlight = new ArrayDeque<>();
        List<CompletedPart> stored = new ArrayList<>();
        try {
            int number = 0;
            while (true) {
                byte[] part = current;
                int length = filled;
                int partNumber = ++number;
                current = null;
                inFlight.add(new Part(part, PART_UPLOADS.submit(() -> uploadPart(key, uploadId, partNumber, part, length))));
                if (length < part.length) {
                    break; // the body ended inside this part
                }
                current = nextBuffer(memory, inFlight, stored);
                filled = body.readNBytes(current, 0, current.length);
                if (filled == 0) {
                    memory.done(current);
                    current = null;
                    break;
                }
            }
            while (!inFlight.isEmpty()) {
                finishOldest(inFlight, stored, memory);
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(stored)).overrideConfiguration(transfer));
        } catch (IOException | RuntimeException | Error failure) {
            if (current != null) {
                memory.done(current);
            }
            // Every part in flight ends (stored or failed) before the abort: a part still being sent after
            // AbortMultipartUpload could otherwise land and stay, and it still reads a buffer about to be reused.
            drain(inFlight, memory);
            abort(key, uploadId, failure);
            throw failure;
        }
    }

    /**
     * The buffer for the next part: one this upload holds and does not use, else one more from the shared
     * budget, else (back-pressure) the buffer of the oldest part in flight once it is stored. Never more than
     * {@code partsInFlight} parts are in flight when it returns.
     */
    private static byte[] nextBuffer(PartMemory memory, ArrayDeque<Part> inFlight, List<CompletedPart> stored) {
        while (!inFlight.isEmpty() && inFlight.peek().result().isDone()) {
            finishOldest(inFlight, stored, memory);
        }
        while (inFlight.size() >= memory.partsInFlight()) {
            finishOldest(inFlight, stored, memory);
        }
        while (true) {
            byte[] buffer = memory.idle();
            if (buffer == null) {
                buffer = memory.more();
            }
            if (buffer != null) {
                return buffer;
            }
            // The memory holds at least two buffers and none is idle, so a part is in flight.
            finishOldest(inFlight, stored, memory);
        }
    }

    /**
     * Waits for the oldest part in flight; its buffer goes back to the memory whether it was stored or not. The
     * part leaves {@code inFlight} only once it ended, so that after an interrupt the abort still waits for it.
     */
    private static void finishOldest(ArrayDeque<Part> inFlight, List<CompletedPart> stored, PartMemory memory) {
        Part part = inFlight.peek();
        CompletedPart completed;
        try {
            completed = await(part.result());
        } finally {
            if (part.result().isDone()) {
                inFlight.poll();
                memory.done(part.buffer());
            }
        }
        stored.add(completed);
    }

    /** Waits for every part in flight to end, uninterruptibly (see upload), ignoring their failures. */
    private static void drain(ArrayDeque<Part> inFlight, PartMemory memory) {
        boolean interrupted = false;
        for (Part part : inFlight) {
            while (true) {
                try {
                    part.result().get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | RuntimeException ignored) {
                    // The failure at hand is the one to report.
                    break;
                }
            }
            memory.done(part.buffer());
        }
        inFlight.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Aborts a multipart upload after {@code cause}; throws {@link LeftBehind} when storage keeps its parts. */
    private void abort(String key, String uploadId, Throwable cause) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException e) {
            LOG.warnf("Could not abort multipart upload %s of %s: %s", uploadId, key, e.toString());
            LeftBehind leftBehind = new LeftBehind(uploadId, cause);
            leftBehind.addSuppressed(e);
            throw leftBehind;
        }
    }

    private static CompletedPart await(Future<CompletedPart> part) {
        try {
            return part.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while uploading a part", e);
        }
    }

    private CompletedPart uploadPart(String key, String uploadId, int number, byte[] buffer, int length) {
        // The provider hands out a fresh stream over the same bytes, so the SDK can sign and retry without copying.
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                                .contentLength((long) length).overrideConfiguration(transfer),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length, BINARY))
                .eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    // --- reading and deleting -----------------------------------------------------------------

    public Optional<StoredObject> head(String key) {
        return S3Storage.unlessNotFound(() -> s3.headObject(b -> b.bucket(bucket).key(key)))
                .map(head -> new StoredObject(key, head.contentLength(), head.contentType()));
    }

    /** Deletes the object; deleting one that does not exist is not an error. */
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /** Deletes and swallows failures: for cleaning up after another failure, which stays the one reported. */
    public void deleteQuietly(String key, Throwable cause) {
        try {
            delete(key);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.warnf("Could not delete %s after a failure: %s", key, e.toString());
        }
    }

    // --- signed URLs (computed locally, no call to storage) ------------------------------------

    /**
     * A GET of the object, valid for {@code ttl}. The response headers given here (null: as stored) are
     * covered by the signature, so the service, not whoever stored the bytes, decides how they are served.
     */
    public SignedUrl signedGet(String key, Duration ttl, String contentType, String contentDisposition, String cacheControl) {
        PresignedGetObjectRequest signed = presigner.presignGetObject(p -> p.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(bucket).key(key)
                        .responseContentType(contentType)
                        .responseContentDisposition(contentDisposition)
                        .responseCacheControl(cacheControl)));
        return new SignedUrl(signed.url().toString(), signed.expiration(), Map.of());
    }

    /**
     * A PUT of exactly {@code size} bytes of type {@code contentType} to {@code key}, valid for {@code ttl}.
     * Both headers are part of the signature: a client sending anything else is refused by the storage server.
     */
    public SignedUrl signedPut(String key, String contentType, long size, Duration ttl) {
        PresignedPutObjectRequest signed = presigner.presignPutObject(p -> p.signatureDuration(ttl)
                .putObjectRequest(r -> r.bucket(bucket).key(key).contentType(contentType).contentLength(size)));
        Map<String, String> headers = new TreeMap<>();
        signed.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name, String.join(",", values));
            }
        });
        return new SignedUrl(signed.url().toString(), signed.expiration(), headers);
    }

    /**
     * A failed upload whose multipart upload could not be aborted: parts remain in storage until the
     * maintenance job aborts it. The cause is the failure that made the upload stop.
     */
    public static final class LeftBehind extends RuntimeException {
        LeftBehind(String uploadId, Throwable cause) {
            super("Multipart upload " + uploadId + " could not be aborted", cause);
        }
    }

    /**
     * The part buffers one upload may use, lent by the caller, which bounds the memory of all uploads together.
     * Used only by the thread that calls {@link #upload}.
     */
    public interface PartMemory {
        /** At most this many parts of the upload are sent at once. */
        int partsInFlight();

        /** A buffer the upload holds and does not use now, or null. */
        byte[] idle();

        /** One more buffer if the shared budget has one free right now, else null; never waits. */
        byte[] more();

        /** A buffer no longer in use (its part ended, or it was never sent): kept for the next part or returned. */
        void done(byte[] buffer);
    }

    /** A part being sent, and the buffer it reads until its upload ends. */
    private record Part(byte[] buffer, Future<CompletedPart> result) {
    }

    public record StoredObject(String key, long size, String contentType) {
    }

    /** A URL and until when it works; {@code headers} must be sent with it exactly as given. */
    public record SignedUrl(String url, Instant expiresAt, Map<String, String> headers) {
    }
}
