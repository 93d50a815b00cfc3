package dev.clones.media.uploads;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import dev.clones.contracts.MediaKeys;
import dev.clones.media.files.FileQuota;
import dev.clones.media.files.FileRecord;
import dev.clones.media.files.FileRepository;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/**
 * Direct uploads in Redis: a {@code media:upload:<id>} hash that expires at the completion deadline, and
 * its object key reserved in {@link MediaKeys#OBJECT_CLEANUP} until that deadline. An upload never completed
 * is thus removed by the maintenance job; past the deadline the upload record is gone, so no completion
 * can race with that.
 */
@ApplicationScoped
public class UploadRepository {

    private static final RedisScript CREATE = RedisScript.fromResource("lua/upload-create.lua");
    private static final RedisScript COMPLETE = RedisScript.fromResource("lua/upload-complete.lua");

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final RedisCalls calls;

    public UploadRepository(ReactiveRedisDataSource redis, ClonesConfig config) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.calls = new RedisCalls(config.redis());
    }

    /** Records the pending upload; false when the owner has {@code maxPending} pending already (nothing recorded). */
    public Uni<Boolean> create(PendingUpload upload, int maxPending) {
        return calls.confirmed(CREATE, redis, List.of(uploadKey(upload.id()), MediaKeys.OBJECT_CLEANUP, pendingKey(upload.owner())),
                List.of(upload.id(), upload.owner(), upload.name(), Long.toString(upload.size()), upload.contentType(),
                        upload.objectKey(), Long.toString(upload.expiresAt().toEpochMilli()),
                        Long.toString(upload.deadline().toEpochMilli()), Integer.toString(maxPending)))
                .map(answer -> !"pending".equals(answer.toString()));
    }

    /** The owner's pending upload, or {@code null} when it does not exist, is another user's or its deadline passed. */
    public Uni<PendingUpload> find(String owner, String id) {
        return calls.bounded(hashes.hgetall(uploadKey(id))).map(fields -> {
            if (fields == null || !owner.equals(fields.get("owner"))) {
                return null;
            }
            return new PendingUpload(fields.get("id"), fields.get("owner"), fields.get("name"),
                    Long.parseLong(fields.get("size")), fields.get("type"), fields.get("key"),
                    Instant.ofEpochMilli(Long.parseLong(fields.get("expires"))),
                    Instant.ofEpochMilli(Long.parseLong(fields.get("deadline"))));
        });
    }

    /**
     * Records the file of a verified upload (once: a repeated call answers the same file) and counts it against
     * the owner's quota; {@link FileRepository.Creation.NotReserved} when the owner has no such upload any more.
     */
    public Uni<FileRepository.Creation> complete(PendingUpload upload, FileQuota quota) {
        return calls.confirmed(COMPLETE, redis,
                        List.of(uploadKey(upload.id()), FileRepository.fileKey(upload.id()), FileRepository.indexKey(upload.owner()),
                                FileRepository.usageKey(upload.owner()), pendingKey(upload.owner())),
                        List.of(upload.owner(), Integer.toString(quota.maxFiles()), Long.toString(quota.maxBytes())))
                .map(answer -> FileRepository.creation(answer, millis -> new FileRecord(upload.id(), upload.owner(), upload.name(),
                        upload.size(), upload.contentType(), null, upload.objectKey(), Instant.ofEpochMilli(millis))));
    }

    private static String uploadKey(String id) {
        return "media:upload:" + id;
    }

    /** Sorted set upload id → deadline: the owner's pending direct uploads, for the quota. */
    private static String pendingKey(String owner) {
        return "media:uploads:" + owner;
    }
}
