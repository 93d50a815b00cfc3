package dev.clones.auth.repository;

import dev.clones.common.config.ClonesConfig;
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
import java.util.stream.Collectors;

/** Users in Redis: {@code user:<id>} hashes and a {@code user-email:<email>} index. */
@ApplicationScoped
public class UserRepository {

    private static final RedisScript CREATE = RedisScript.fromResource("lua/user-create.lua");
    private static final RedisScript RENAME = RedisScript.fromResource("lua/user-rename.lua");

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ReactiveValueCommands<String, String> values;
    private final ClonesConfig.Redis config;

    public UserRepository(ReactiveRedisDataSource redis, ClonesConfig config) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.values = redis.value(String.class);
        this.config = config.redis();
    }

    /** Creates the user; {@code false} when the email is already taken. */
    public Uni<Boolean> create(User user) {
        return bounded(CREATE.run(redis,
                        List.of(emailKey(user.email()), userKey(user.id())),
                        List.of(user.id(), user.email(), user.displayName(), String.join(",", user.roles()),
                                user.passwordHash(), Long.toString(user.createdAt().toEpochMilli()))))
                .map(created -> created.toInteger() == 1);
    }

    public Uni<User> findByEmail(String email) {
        return bounded(values.get(emailKey(email)))
                .flatMap(id -> id == null ? Uni.createFrom().nullItem() : findById(id));
    }

    public Uni<User> findById(String id) {
        return bounded(hashes.hgetall(userKey(id))).map(UserRepository::toUser);
    }

    /** The updated user, or {@code null} when the user no longer exists. */
    public Uni<User> updateDisplayName(String id, String displayName) {
        return bounded(RENAME.run(redis, List.of(userKey(id)), List.of(displayName)))
                .flatMap(updated -> updated.toInteger() == 1 ? findById(id) : Uni.createFrom().nullItem());
    }

    public static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(config.callTimeout()).fail();
    }

    private static User toUser(Map<String, String> fields) {
        if (fields == null || fields.isEmpty() || !fields.containsKey("id")) {
            return null;
        }
        String roles = fields.getOrDefault("roles", "");
        return new User(fields.get("id"), fields.get("email"), fields.get("displayName"),
                roles.isEmpty() ? java.util.Set.of() : Arrays.stream(roles.split(",")).collect(Collectors.toCollection(LinkedHashSet::new)),
                fields.get("passwordHash"), Instant.ofEpochMilli(Long.parseLong(fields.get("createdAt"))));
    }

    private static String userKey(String id) {
        return "user:" + id;
    }

    private static String emailKey(String email) {
        return "user-email:" + normalizeEmail(email);
    }
}
