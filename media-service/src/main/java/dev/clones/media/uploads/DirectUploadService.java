package dev.clones.media.uploads;

import dev.clones.media.files.FileRepository;
import dev.clones.media.files.FileQuota;
import dev.clones.common.error.ApiProblem;
import dev.clones.media.config.MediaConfig;
import dev.clones.media.files.ContentTypes;
import dev.clones.media.files.FileNames;
import dev.clones.media.files.FileRecord;
import dev.clones.media.files.FileService;
import dev.clones.media.storage.ObjectKeys;
import dev.clones.media.storage.ObjectStorage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Uploads that bypass the service: the client PUTs the bytes straight to object storage with a short-lived
 * signed URL bound to the announced type and size, then asks the service to record the file. The service
 * records it only after storage confirms an object of that size is there.
 */
@ApplicationScoped
public class DirectUploadService {

    private final ObjectStorage storage;
    private final UploadRepository uploads;
    private final FileRepository files;
    private final FileQuota quota;
    private final MediaConfig.Uploads config;
    private final long maxSize;

    public DirectUploadService(ObjectStorage storage, UploadRepository uploads, FileRepository files, MediaConfig config) {
        this.storage = storage;
        this.uploads = uploads;
        this.files = files;
        this.quota = FileQuota.of(config);
        this.config = config.uploads();
        this.maxSize = config.files().maxSize().asLongValue();
    }

    public Uni<Ticket> start(String owner, String name, String contentType, long size) {
        String safeName = FileNames.validate(name);
        String type = ContentTypes.declared(contentType);
        if (size < 0) {
            throw ApiProblem.badRequest("size must be the number of bytes to upload (0 or more).");
        }
        if (size > maxSize) {
            throw new ApiProblem(413, "Content Too Large", "The file would have " + size + " bytes; at most " + maxSize + " are accepted.");
        }
        String id = UUID.randomUUID().toString();
        String key = ObjectKeys.file(owner, id);
        ObjectStorage.SignedUrl url = storage.signedPut(key, type, size, config.urlTtl());
        Instant deadline = url.expiresAt().plus(config.completionGrace());
        PendingUpload pending = new PendingUpload(id, owner, safeName, size, type, key, url.expiresAt(), deadline);
        return files.checkQuota(owner, size, quota)
                .flatMap(ok -> uploads.create(pending, config.maxPendingPerUser()))
                .map(created -> {
                    if (!created) {
                        throw new ApiProblem(429, "Too Many Requests", "You have " + config.maxPendingPerUser()
                                + " direct uploads pending, the most an account may; complete them or let them expire first.");
                    }
                    return new Ticket(id, url.url(), url.expiresAt(), url.headers());
                });
    }

    /**
     * Records the file once storage shows the object with the announced size and type; 409 while it is not
     * there (the client may PUT and complete again until the URL expires), 404 for an unknown or foreign id.
     */
    public Uni<FileRecord> complete(String owner, String id) {
        if (!FileService.isFileId(id)) {
            return Uni.createFrom().failure(notFound(id));
        }
        return uploads.find(owner, id)
                .flatMap(upload -> {
                    if (upload == null) {
                        throw notFound(id);
                    }
                    return FileService.blocking(() -> storage.head(upload.objectKey()))
                            .flatMap(object -> {
                                if (object.isEmpty()) {
                                    throw ApiProblem.conflict("Nothing has been uploaded for " + id + " yet: PUT the bytes to the upload URL first.");
                                }
                                if (object.get().size() != upload.size()) {
                                    throw ApiProblem.conflict("The uploaded object has " + object.get().size()
                                            + " bytes, not the announced " + upload.size() + ".");
                                }
                                return uploads.complete(upload, quota);
                            })
                            .map(creation -> switch (creation) {
                                case FileRepository.Creation.Created created -> created.file();
                                case FileRepository.Creation.NotReserved ignored -> throw notFound(id);
                                // The object stays reserved until the deadline; the maintenance job removes it.
                                case FileRepository.Creation.OverQuota over -> throw quota.problem(over.exceeded());
                            });
                });
    }

    private static ApiProblem notFound(String id) {
        return ApiProblem.notFound("You have no pending upload " + id + ".");
    }

    /** What a client needs to upload: PUT the bytes to {@code url} with exactly {@code headers}, before {@code expiresAt}. */
    public record Ticket(String id, String url, Instant expiresAt, Map<String, String> headers) {
    }
}
