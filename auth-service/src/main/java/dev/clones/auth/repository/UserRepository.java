package dev.clones.auth.repository;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.nearcache.NearCache;
import dev.clones.common.nearcache.NearCacheFeed;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Users in Redis: {@code user:<id>} hashes and a {@code user-email:<email>} index. Profiles (never
 * the password hash) are kept in this replica's {@link NearCache} while it provably is current; a
 * change answers only after the near-cache barrier, so the next read through any replica sees it.
 *
 * <p>Every call touches one key, so that it is valid on Redis Cluster, where a record and its email live in
 * different slots. Reads go email, id, record, so a user exists for everyone once the email names the record: the
 * record is written first, and the email is claimed last.
 */
@ApplicationScoped
public class UserRepository {

    private static final String USER_PREFIX = "user:";
    private static final RedisScript RENAME = RedisScript.fromResource("lua/user-rename.lua");

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ReactiveValueCommands<String, String> values;
    private final RedisCalls calls;
    private final NearCacheFeed feed;
    private final NearCache<Profile> profiles;

    public UserRepository(ReactiveRedisDataSource redis, ClonesConfig config, NearCacheFeed feed) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.values = redis.value(String.class);
        this.calls = new RedisCalls(config.redis());
        this.feed = feed;
        this.profiles = feed.cache(USER_PREFIX);
    }

    /**
     * Creates the user; {@code false} when the email is already taken. The record first, under a fresh random id, so
     * it cannot collide, then the email claimed with {@code SET NX}: of two replicas registering the same email at
     * the same instant one claims it, and the other deletes its record and answers taken. A failure between the
     * two steps (or of that delete) leaves a record no email names: nobody can reach it, so it is harmless. Both
     * steps are confirmed, each on its own: on a cluster they go to different primaries.
     */
    public Uni<Boolean> create(User user) {
        String record = userKey(user.id());
        return calls.confirmed(redis, Command.HSET, record, "id", user.id(), "email", user.email(),
                        "displayName", user.displayName(), "roles", String.join(",", user.roles()),
                        "passwordHash", user.passwordHash(), "createdAt", Long.toString(user.createdAt().toEpochMilli()))
                .flatMap(written -> calls.confirmed(redis, Command.SET, emailKey(user.email()), user.id(), "NX"))
                .flatMap(claimed -> claimed == null
                        ? calls.bounded(redis.execute(Command.DEL, record)).replaceWith(false)
                        : Uni.createFrom().item(true));
    }

    public Uni<User> findByEmail(String email) {
        return calls.bounded(values.get(emailKey(email)))
                .flatMap(id -> id == null ? Uni.createFrom().nullItem() : findById(id));
    }

    public Uni<User> findById(String id) {
        return calls.bounded(hashes.hgetall(userKey(id))).map(UserRepository::toUser);
    }

    /** The user's profile, or {@code null} when the user no longer exists; from memory while provably current. */
    public Uni<Profile> findProfile(String id) {
        String key = userKey(id);
        Optional<Profile> kept = profiles.get(key);
        if (kept.isPresent()) {
            return Uni.createFrom().item(kept.get());
        }
        return profiles.load(key, calls.bounded(hashes.hmget(key, "id", "email", "displayName", "roles", "createdAt"))
                        .map(fields -> Optional.ofNullable(toUser(fields)).map(Profile::of)))
                .map(found -> found.orElse(null));
    }

    /** The updated profile, or {@code null} when the user no longer exists. */
    public Uni<Profile> updateDisplayName(String id, String displayName) {
        return calls.confirmed(RENAME, redis, List.of(userKey(id)), List.of(displayName))
                .call(updated -> updated.toInteger() == 1 ? feed.barrier() : Uni.createFrom().voidItem())
                .flatMap(updated -> updated.toInteger() == 1 ? findProfile(id) : Uni.createFrom().nullItem());
    }

    public static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private static User toUser(Map<String, String> fields) {
        if (fields == null || fields.isEmpty() || fields.get("id") == null) {
            return null;
        }
        String roles = fields.getOrDefault("roles", "");
        return new User(fields.get("id"), fields.get("email"), fields.get("displayName"),
                roles.isEmpty() ? java.util.Set.of() : Arrays.stream(roles.split(",")).collect(Collectors.toCollection(LinkedHashSet::new)),
                fields.get("passwordHash"), Instant.ofEpochMilli(Long.parseLong(fields.get("createdAt"))));
    }

    private static String userKey(String id) {
        return USER_PREFIX + id;
    }

    private static String emailKey(String email) {
        return "user-email:" + normalizeEmail(email);
    }
}
