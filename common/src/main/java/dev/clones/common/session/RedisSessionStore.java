package dev.clones.common.session;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.redis.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Sessions live in Redis and only there, so any replica can serve any request of any user.
 * Every operation that reads and writes is one Lua script, so racing replicas cannot undo
 * each other (a revoke cannot be resurrected by a concurrent refresh, for instance).
 */
public final class RedisSessionStore implements SessionStore {

    static final String SESSION_PREFIX = "session:";

    private static final RedisScript CREATE = RedisScript.fromResource("lua/session-create.lua");
    private static final RedisScript TOUCH = RedisScript.fromResource("lua/session-touch.lua");
    private static final RedisScript LIST = RedisScript.fromResource("lua/session-list.lua");
    private static final RedisScript REVOKE = RedisScript.fromResource("lua/session-revoke.lua");
    private static final RedisScript REVOKE_ALL = RedisScript.fromResource("lua/session-revoke-all.lua");

    private final ReactiveRedisDataSource redis;
    private final ClonesConfig.Session config;
    private final ClonesConfig.Redis redisConfig;

    public RedisSessionStore(ReactiveRedisDataSource redis, ClonesConfig config) {
        this.redis = redis;
        this.config = config.session();
        this.redisConfig = config.redis();
    }

    @Override
    public Uni<NewSession> create(String userId, String email, Set<String> roles, String userAgent) {
        String token = SessionTokens.newToken();
        String handle = SessionTokens.handleOf(token);
        String agent = userAgent == null ? "" : userAgent.substring(0, Math.min(userAgent.length(), 256));
        return bounded(CREATE.run(redis, List.of(SESSION_PREFIX + handle, indexKey(userId)),
                        List.of(userId, email, String.join(",", roles), agent,
                                Long.toString(config.idleTimeout().toMillis()),
                                Long.toString(config.absoluteTimeout().toMillis()), handle)))
                .map(times -> {
                    Instant created = Instant.ofEpochMilli(times.get(0).toLong());
                    Instant absolute = Instant.ofEpochMilli(times.get(1).toLong());
                    return new NewSession(token, new Session(handle, userId, email, roles, created, created, absolute, agent));
                });
    }

    @Override
    public Uni<Session> resolve(String token) {
        if (!SessionTokens.isWellFormed(token)) {
            return Uni.createFrom().nullItem();
        }
        String handle = SessionTokens.handleOf(token);
        return bounded(TOUCH.run(redis, List.of(SESSION_PREFIX + handle),
                        List.of(Long.toString(config.idleTimeout().toMillis()))))
                .map(fields -> fields == null ? null : new Session(handle,
                        fields.get(0).toString(),
                        fields.get(1).toString(),
                        roles(fields.get(2).toString()),
                        Instant.ofEpochMilli(fields.get(3).toLong()),
                        Instant.ofEpochMilli(fields.get(4).toLong()),
                        Instant.ofEpochMilli(fields.get(5).toLong()),
                        fields.get(6) == null ? "" : fields.get(6).toString()));
    }

    @Override
    public Uni<List<SessionSummary>> list(String userId) {
        return bounded(LIST.run(redis, List.of(indexKey(userId)), List.of(SESSION_PREFIX)))
                .map(rows -> {
                    List<SessionSummary> sessions = new ArrayList<>();
                    if (rows != null) {
                        for (Response row : rows) {
                            sessions.add(new SessionSummary(row.get(0).toString(),
                                    Instant.ofEpochMilli(row.get(1).toLong()),
                                    Instant.ofEpochMilli(row.get(2).toLong()),
                                    row.get(3).toString()));
                        }
                    }
                    return sessions;
                });
    }

    @Override
    public Uni<Boolean> revoke(String userId, String sessionId) {
        return bounded(REVOKE.run(redis, List.of(indexKey(userId)), List.of(sessionId, SESSION_PREFIX)))
                .map(deleted -> deleted.toInteger() > 0);
    }

    @Override
    public Uni<Void> revokeAll(String userId) {
        return bounded(REVOKE_ALL.run(redis, List.of(indexKey(userId)), List.of(SESSION_PREFIX))).replaceWithVoid();
    }

    private <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(redisConfig.callTimeout()).fail();
    }

    private static String indexKey(String userId) {
        return "user-sessions:" + userId;
    }

    private static Set<String> roles(String joined) {
        return joined.isEmpty() ? Set.of() : Arrays.stream(joined.split(",")).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
