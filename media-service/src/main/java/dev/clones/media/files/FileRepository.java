package dev.clones.media.files;

import dev.clones.common.paging.IndexCursor;
import dev.clones.common.paging.Page;
import dev.clones.common.paging.PageRequest;
import dev.clones.common.config.ClonesConfig;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import dev.clones.contracts.MediaKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.sortedset.ReactiveSortedSetCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.Map;

/**
 * File metadata in Redis: a {@code media:file:<id>} hash per file and a {@code media:files:<owner>} index
 * sorted by creation time. Ownership is checked against the record on every access.
 *
 * <p>Objects that may need removing are tracked in the sorted set {@code media:object-cleanup}: object
 * keys scored by the time after which they are garbage unless a file record claims them. An upload
 * reserves its key there before the first byte is stored and the record claims it when written; a delete
 * puts the key back, due at once. Contract for the maintenance job: for each key whose score has passed,
 * abort the multipart uploads under that key, delete the object unless {@code media:file:<last segment of
 * the key>} exists, then remove the key from the set. A crash at any point thus leaves nothing behind
 * for good, and no record ever points at a missing object.
 */
@ApplicationScoped
public class FileRepository {

    private static final RedisScript CREATE = RedisScript.fromResource("lua/file-create.lua");
    private static final RedisScript LIST = RedisScript.fromResources("lua/index-page.lua", "lua/file-list.lua");
    private static final RedisScript DELETE = RedisScript.fromResource("lua/file-delete.lua");

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ReactiveSortedSetCommands<String, String> sortedSets;
    private final RedisCalls calls;

    public FileRepository(ReactiveRedisDataSource redis, ClonesConfig config) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.sortedSets = redis.sortedSet(String.class);
        this.calls = new RedisCalls(config.redis());
    }

    /** Reserves an object key for an upload about to start: garbage after {@code deadline} unless claimed. */
    public Uni<Void> reserve(String objectKey, Instant deadline) {
        return calls.bounded(sortedSets.zadd(MediaKeys.OBJECT_CLEANUP, deadline.toEpochMilli(), objectKey)).replaceWithVoid();
    }

    /** What writing a file's record came to. */
    public sealed interface Creation {
        /** Recorded, with its creation time (Redis's clock). */
        record Created(FileRecord file) implements Creation {
        }

        /** The reservation was gone (the object may have been removed): nothing recorded. */
        record NotReserved() implements Creation {
        }

        /** The owner's quota would be passed: nothing recorded. */
        record OverQuota(FileQuota.Exceeded exceeded) implements Creation {
        }
    }

    /** Records a file whose object is complete, counts it against the owner's quota and claims the object. */
    public Uni<Creation> create(String id, String owner, String name, long size, String contentType, String sha256,
                                String objectKey, FileQuota quota) {
        return calls.confirmed(CREATE, redis, List.of(fileKey(id), indexKey(owner), MediaKeys.OBJECT_CLEANUP, usageKey(owner)),
                        List.of(id, owner, name, Long.toString(size), contentType, sha256 == null ? "" : sha256, objectKey,
                                Integer.toString(quota.maxFiles()), Long.toString(quota.maxBytes())))
                .map(answer -> creation(answer, millis -> new FileRecord(id, owner, name, size, contentType, sha256, objectKey,
                        Instant.ofEpochMilli(millis))));
    }

    /** A create or complete script's answer: nil, a quota word, or the creation time. */
    public static Creation creation(Response answer, LongFunction<FileRecord> recorded) {
        if (answer == null) {
            return new Creation.NotReserved();
        }
        FileQuota.Exceeded exceeded = FileQuota.Exceeded.of(answer.toString());
        return exceeded != null ? new Creation.OverQuota(exceeded) : new Creation.Created(recorded.apply(answer.toLong()));
    }

    /**
     * Fails with the quota's problem when the owner keeps the most files already, or {@code incoming} more bytes
     * would pass the byte quota. An early check, so that a refused upload is refused before its bytes are sent;
     * the record's script checks again atomically.
     */
    public Uni<Void> checkQuota(String owner, long incoming, FileQuota quota) {
        return calls.bounded(sortedSets.zcard(indexKey(owner)))
                .flatMap(count -> calls.bounded(hashes.hget(usageKey(owner), "bytes")).map(bytes -> {
                    if (count >= quota.maxFiles()) {
                        throw quota.problem(FileQuota.Exceeded.FILES);
                    }
                    if ((bytes == null ? 0 : Long.parseLong(bytes)) + incoming > quota.maxBytes()) {
                        throw quota.problem(FileQuota.Exceeded.BYTES);
                    }
                    return null;
                }))
                .replaceWithVoid();
    }

    /** One page of the owner's files, newest first. */
    public Uni<Page<FileRecord>> list(String owner, PageRequest page) {
        Optional<IndexCursor> after = page.cursor().map(IndexCursor::decode);
        return calls.bounded(LIST.run(redis, List.of(indexKey(owner)), List.of(MediaKeys.FILE_PREFIX, Integer.toString(page.limit()),
                        after.map(c -> Long.toString(c.score())).orElse(""), after.map(IndexCursor::id).orElse(""))))
                .map(answer -> {
                    List<FileRecord> files = new ArrayList<>();
                    for (Response row : answer.get(0)) {
                        files.add(new FileRecord(row.get(0).toString(), row.get(1).toString(), row.get(2).toString(),
                                row.get(3).toLong(), row.get(4).toString(), blankToNull(row.get(5).toString()),
                                row.get(6).toString(), Instant.ofEpochMilli(row.get(7).toLong())));
                    }
                    return new Page<>(files, IndexCursor.next(answer.get(1).toString(), answer.get(2).toString()));
                });
    }


    /** The file if it exists and belongs to {@code owner}, else {@code null}: another user's file looks absent. */
    public Uni<FileRecord> find(String owner, String id) {
        return calls.bounded(hashes.hgetall(fileKey(id)))
                .map(fields -> fields != null && owner.equals(fields.get("owner")) ? toRecord(fields) : null);
    }

    /**
     * Deletes the record of the owner's file and queues its object for cleanup in the same atomic step;
     * answers the object key, or {@code null} when the owner has no such file.
     */
    public Uni<String> delete(String owner, String id) {
        return calls.confirmed(DELETE, redis, List.of(fileKey(id), indexKey(owner), MediaKeys.OBJECT_CLEANUP, usageKey(owner)),
                        List.of(owner, id))
                .map(key -> key == null ? null : key.toString());
    }

    /** The object is gone from storage: nothing left to clean up for it. */
    public Uni<Void> objectRemoved(String objectKey) {
        return calls.bounded(sortedSets.zrem(MediaKeys.OBJECT_CLEANUP, objectKey)).replaceWithVoid();
    }

    private static FileRecord toRecord(Map<String, String> fields) {
        return new FileRecord(fields.get("id"), fields.get("owner"), fields.get("name"), Long.parseLong(fields.get("size")),
                fields.get("type"), blankToNull(fields.get("sha256")), fields.get("key"),
                Instant.ofEpochMilli(Long.parseLong(fields.get("created"))));
    }

    public static String fileKey(String id) {
        return MediaKeys.file(id);
    }

    /** Hash {@code bytes}: the sum of the sizes of the owner's files, for the quota. */
    public static String usageKey(String owner) {
        return "media:usage:" + owner;
    }

    public static String indexKey(String owner) {
        return "media:files:" + owner;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
