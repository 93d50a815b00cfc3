package dev.clones.media.files;

import dev.clones.common.paging.Page;
import dev.clones.common.paging.PageRequest;
import dev.clones.common.error.ApiProblem;
import dev.clones.media.body.MeasuredBody;
import dev.clones.media.config.MediaConfig;
import dev.clones.media.storage.ObjectKeys;
import dev.clones.media.storage.ObjectStorage;
import dev.clones.media.storage.PartBuffers;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Users' files: the bytes in object storage, the metadata in Redis, nothing on this replica. The order of
 * the steps keeps the two consistent whatever fails: a key is reserved for cleanup before bytes are
 * stored, the record is written only once the object is complete, and a delete removes the record first.
 */
@ApplicationScoped
public class FileService {

    private static final Logger LOG = Logger.getLogger(FileService.class);
    /** How long an upload through the service may take before the maintenance job may treat its object as garbage. */
    private static final Duration UPLOAD_DEADLINE = Duration.ofDays(1);

    private final ObjectStorage storage;
    private final FileRepository files;
    private final PartBuffers buffers;
    private final MediaConfig.Files config;
    private final FileQuota quota;

    public FileService(ObjectStorage storage, FileRepository files, PartBuffers buffers, MediaConfig config) {
        this.storage = storage;
        this.files = files;
        this.buffers = buffers;
        this.config = config.files();
        this.quota = FileQuota.of(config);
    }

    public long maxSize() {
        return config.maxSize().asLongValue();
    }

    /**
     * Streams a request body into object storage while hashing it, then records the file. Blocks: runs on a
     * worker thread. Memory: what {@link PartBuffers} lends (two part buffers, more while the replica has them
     * free), whatever the size of the body.
     */
    public FileRecord upload(String owner, String fileNameHeader, String contentType, String contentLength, InputStream body) {
        String name = FileNames.fromHeader(fileNameHeader);
        String type = ContentTypes.declared(contentType);
        MeasuredBody.rejectDeclaredOversize(contentLength, maxSize());
        // Before a byte is stored: a user at the quota is refused without sending the file.
        files.checkQuota(owner, declaredLength(contentLength), quota).await().indefinitely();

        String id = UUID.randomUUID().toString();
        String key = ObjectKeys.file(owner, id);
        files.reserve(key, Instant.now().plus(UPLOAD_DEADLINE)).await().indefinitely();
        MeasuredBody measured = new MeasuredBody(body, maxSize());
        try (PartBuffers.Lease lease = buffers.acquire()) {
            // Stored as opaque bytes: the declared type lives in the record and is put into each signed
            // download URL, so the service decides how the bytes are served. (S3Proxy, moreover, parses a
            // PUT body declared as a form, and fails on binary data.)
            storage.upload(key, ContentTypes.BINARY, measured, lease);
        } catch (ObjectStorage.LeftBehind leftBehind) {
            // Parts remain in storage: the reservation stays, for the maintenance job to abort them.
            throw asUnchecked(leftBehind.getCause());
        } catch (ApiProblem | IOException refused) {
            // The body was refused (too large, broken off) and nothing was kept in storage: the reservation
            // can go now. (After a storage failure it stays: a PUT that timed out may still have landed.)
            files.objectRemoved(key).subscribe().with(ignored -> { }, f -> LOG.debugf("Reservation of %s stays: %s", key, f));
            throw refused instanceof ApiProblem problem ? problem
                    : ApiProblem.badRequest("The request body could not be read to its end; nothing was stored.");
        }
        // From here on the object is complete. Should recording it fail, the object stays reserved for
        // cleanup: never delete it here, the record may have been written with only the reply lost.
        return switch (files.create(id, owner, name, measured.size(), type, measured.sha256(), key, quota).await().indefinitely()) {
            case FileRepository.Creation.Created created -> created.file();
            case FileRepository.Creation.NotReserved ignored ->
                    throw ApiProblem.unavailable("The upload took too long to be recorded; upload the file again.");
            case FileRepository.Creation.OverQuota over -> {
                // Nothing points at the object: it goes now, or with its reservation, whichever comes first.
                ApiProblem refused = quota.problem(over.exceeded());
                storage.deleteQuietly(key, refused);
                throw refused;
            }
        };
    }

    public Uni<Page<FileRecord>> list(String owner, PageRequest page) {
        return files.list(owner, page);
    }

    /** The owner's file, or 404 (also for another user's file: its existence is not revealed). */
    public Uni<FileRecord> find(String owner, String id) {
        if (!isFileId(id)) {
            return Uni.createFrom().failure(notFound(id));
        }
        return files.find(owner, id).map(file -> {
            if (file == null) {
                throw notFound(id);
            }
            return file;
        });
    }

    /** A signed download URL of the owner's file; computed locally, so it works while storage is down. */
    public Uni<Download> download(String owner, String id) {
        return find(owner, id).map(file -> new Download(file, storage.signedGet(file.objectKey(), config.downloadUrlTtl(),
                file.contentType(), FileNames.contentDisposition(file.name()), "private, max-age=" + config.downloadUrlTtl().toSeconds())));
    }

    /**
     * Deletes the record, then the object. Once the record is gone the file is gone for every replica; if
     * storage cannot delete the object now, it stays queued for the maintenance job.
     */
    public Uni<Void> delete(String owner, String id) {
        if (!isFileId(id)) {
            return Uni.createFrom().failure(notFound(id));
        }
        return files.delete(owner, id)
                .flatMap(key -> {
                    if (key == null) {
                        throw notFound(id);
                    }
                    return blocking(() -> {
                        storage.delete(key);
                        return key;
                    }).onFailure().recoverWithItem(failure -> {
                        LOG.warnf("File %s deleted; its object %s stays queued for cleanup: %s", id, key, failure.toString());
                        return null;
                    });
                })
                .flatMap(removedKey -> removedKey == null ? Uni.createFrom().voidItem()
                        : files.objectRemoved(removedKey).onFailure().recoverWithNull().replaceWithVoid());
    }

    /** The announced length when there is a readable one, else 0: such a body is counted when its record is written. */
    private static long declaredLength(String contentLength) {
        try {
            return contentLength == null ? 0 : Math.max(0, Long.parseLong(contentLength.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static RuntimeException asUnchecked(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return ApiProblem.badRequest("The request body could not be read to its end; nothing was stored.");
    }

    public static boolean isFileId(String id) {
        if (id == null || id.length() != 36) {
            return false;
        }
        try {
            return UUID.fromString(id).toString().equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ApiProblem notFound(String id) {
        return ApiProblem.notFound("You have no file " + id + ".");
    }

    public static <T> Uni<T> blocking(Supplier<T> call) {
        return Uni.createFrom().item(call).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    public record Download(FileRecord file, ObjectStorage.SignedUrl url) {
    }
}
