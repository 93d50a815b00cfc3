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
 */
@ApplicationScoped
public class UserRepository {

    private static final RedisScript CREATE = RedisScript.fromResource("lua/user-create.lua");
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

    /** Creates the user; {@code false} when the email is already taken. */
    public Uni<Boolean> create(User user) {
        return calls.confirmed(CREATE, redis,
                        List.of(emailKey(user.email()), userKey(user.id())),
                        List.of(user.id(), user.email(), user.displayName(), String.join(",", user.roles()),
                                user.passwordHash(), Long.toString(user.createdAt().toEpochMilli())))
                .map(created -> created.toInteger() == 1);
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
