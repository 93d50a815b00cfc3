package dev.clones.media.avatars;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.redis.RedisCalls;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/** Each user's current avatar, {@code media:avatar:<user id>}: the content-addressed object key and its type. */
@ApplicationScoped
public class AvatarRepository {

    private final ReactiveHashCommands<String, String, String> hashes;
    private final RedisCalls calls;

    public AvatarRepository(ReactiveRedisDataSource redis, ClonesConfig config) {
        this.hashes = redis.hash(String.class);
        this.calls = new RedisCalls(config.redis());
    }

    public Uni<Void> setCurrent(String userId, String objectKey, String contentType) {
        return calls.bounded(hashes.hset(avatarKey(userId), Map.of("key", objectKey, "type", contentType,
                        "updated", Long.toString(System.currentTimeMillis()))))
                .replaceWithVoid();
    }

    /** The object key of the user's avatar, or {@code null} when the user has none. */
    public Uni<String> current(String userId) {
        return calls.bounded(hashes.hget(avatarKey(userId), "key"));
    }

    private static String avatarKey(String userId) {
        return "media:avatar:" + userId;
    }
}
