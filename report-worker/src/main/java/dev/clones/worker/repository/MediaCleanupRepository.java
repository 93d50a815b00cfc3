package dev.clones.worker.repository;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import dev.clones.contracts.MediaKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.ZRangeArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * media-service's objects waiting to be removed (its contract, documented in its {@code FileRepository}):
 *
 * <pre>
 * media:object-cleanup            zset   object key -> time after which it is garbage unless a record claims it
 * media:file:{last key segment}   hash   the file record that claims an object
 * media:object-cleanup:claimed    zset   object key -> claim time (this worker's own bookkeeping: claimed
 *                                        for deletion, not deleted yet)
 * </pre>
 * Covers abandoned direct uploads (the key is reserved until the upload's deadline), streaming uploads cut
 * off by a crash, and deleted files whose object could not be removed at once.
 */
@ApplicationScoped
public class MediaCleanupRepository {

    private static final RedisScript CLAIM = RedisScript.fromResource("lua/media-cleanup-claim.lua");

    private final ReactiveRedisDataSource reactive;
    private final RedisDataSource redis;
    private final RedisCalls calls;

    public MediaCleanupRepository(ReactiveRedisDataSource reactive, RedisDataSource redis, ClonesConfig clones) {
        this.reactive = reactive;
        this.redis = redis;
        this.calls = new RedisCalls(clones.redis());
    }

    /** Up to {@code max} object keys whose cleanup is due now, according to this machine's clock less a margin. */
    public List<String> due(long nowMillis, int max) {
        return redis.sortedSet(String.class).zrangebyscore(MediaKeys.OBJECT_CLEANUP, new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) nowMillis),
                new ZRangeArgs().limit(0, max));
    }

    /** See lua/media-cleanup-claim.lua: 'claimed', 'owned', 'not-due' or 'gone'. */
    public String claim(String objectKey) {
        return calls.bounded(Uni.createFrom().deferred(() -> CLAIM.run(reactive, List.of(MediaKeys.OBJECT_CLEANUP, MediaKeys.OBJECT_CLEANUP_CLAIMED), List.of(objectKey, MediaKeys.FILE_PREFIX))))
                .map(Object::toString)
                .await().indefinitely();
    }

    /** Keys claimed for deletion and not yet deleted (by this run, or by a run that died). */
    public List<String> claimed(int max) {
        return redis.sortedSet(String.class).zrange(MediaKeys.OBJECT_CLEANUP_CLAIMED, 0, max - 1L);
    }

    public void release(String objectKey) {
        redis.sortedSet(String.class).zrem(MediaKeys.OBJECT_CLEANUP_CLAIMED, objectKey);
    }
}
