package dev.clones.media.avatars;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.redis.RedisCalls;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;

/** Each user's current avatar, {@code media:avatar:<user id>}: the content-addressed object key and its type. */
@ApplicationScoped
public class AvatarRepository {

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final RedisCalls calls;

    public AvatarRepository(ReactiveRedisDataSource redis, ClonesConfig config) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.calls = new RedisCalls(config.redis());
    }

    /** The upload answers with the new avatar once this is confirmed by the replicas the configuration asks for. */
    public Uni<Void> setCurrent(String userId, String objectKey, String contentType) {
        return calls.confirmed(redis, Command.HSET, avatarKey(userId), "key", objectKey, "type", contentType,
                        "updated", Long.toString(System.currentTimeMillis()))
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
