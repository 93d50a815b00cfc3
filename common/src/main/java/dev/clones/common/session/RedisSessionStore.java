package dev.clones.common.session;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.nearcache.NearCache;
import dev.clones.common.nearcache.NearCacheFeed;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Sessions live in Redis and only there, so any replica can serve any request of any user.
 * Every operation that reads and writes is one Lua script, so racing replicas cannot undo
 * each other (a revoke cannot be resurrected by a concurrent refresh, for instance).
 *
 * <p>A read refreshes the idle timeout at most once per refresh interval, so reads of a page write
 * nothing. A session read is kept in the replica's {@link NearCache} until the sooner of its absolute
 * expiry, its idle expiry and its next refresh, measured on this replica's monotonic clock from before
 * the read (so never later than Redis's clock would say); the cache drops it the moment Redis says
 * the key changed. Revocations answer only after the {@link NearCacheFeed#barrier() barrier}, so no
 * replica serves a revoked session from memory once the revoking call answered.
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
    private final RedisCalls calls;
    private final NearCacheFeed feed;
    private final NearCache<CachedSession> cache;
    private final List<String> touchArgs;

    public RedisSessionStore(ReactiveRedisDataSource redis, ClonesConfig config, NearCacheFeed feed) {
        this.redis = redis;
        this.config = config.session();
        this.calls = new RedisCalls(config.redis());
        if (this.config.effectiveRefreshInterval().compareTo(this.config.idleTimeout()) >= 0) {
            throw new IllegalStateException("clones.session.refresh-interval (" + this.config.effectiveRefreshInterval()
                    + ") must be shorter than clones.session.idle-timeout (" + this.config.idleTimeout()
                    + "): sessions in use would expire between refreshes");
        }
        this.feed = feed;
        this.cache = feed.cache(SESSION_PREFIX);
        this.touchArgs = List.of(Long.toString(this.config.idleTimeout().toMillis()),
                Long.toString(this.config.effectiveRefreshInterval().toMillis()));
    }

    @Override
    public Uni<NewSession> create(String userId, String email, Set<String> roles, String userAgent) {
        String token = SessionTokens.newToken();
        String handle = SessionTokens.handleOf(token);
        String agent = userAgent == null ? "" : userAgent.substring(0, Math.min(userAgent.length(), 256));
        return calls.confirmed(CREATE, redis, List.of(SESSION_PREFIX + handle, indexKey(userId)),
                        List.of(userId, email, String.join(",", roles), agent,
                                Long.toString(config.idleTimeout().toMillis()),
                                Long.toString(config.absoluteTimeout().toMillis()), handle))
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
        String key = SESSION_PREFIX + handle;
        Optional<CachedSession> kept = cache.get(key);
        if (kept.isPresent() && kept.get().usableAt(System.nanoTime())) {
            return Uni.createFrom().item(kept.get().session());
        }
        long sentAt = System.nanoTime();
        return cache.load(key, calls.bounded(TOUCH.run(redis, List.of(key), touchArgs))
                        .map(fields -> Optional.ofNullable(fields).map(f -> cached(handle, f, sentAt))))
                .map(found -> found.map(CachedSession::session).orElse(null));
    }

    /** The session as the touch script answered it, usable until its first deadline, counted from {@code sentAt}. */
    private CachedSession cached(String handle, Response fields, long sentAt) {
        Session session = new Session(handle,
                fields.get(0).toString(),
                fields.get(1).toString(),
                roles(fields.get(2).toString()),
                Instant.ofEpochMilli(fields.get(3).toLong()),
                Instant.ofEpochMilli(fields.get(4).toLong()),
                Instant.ofEpochMilli(fields.get(5).toLong()),
                fields.get(6) == null ? "" : fields.get(6).toString());
        long redisNow = fields.get(7).toLong();
        long seen = session.lastSeenAt().toEpochMilli();
        long deadline = Math.min(session.absoluteExpiry().toEpochMilli(),
                Math.min(seen + config.idleTimeout().toMillis(), seen + config.effectiveRefreshInterval().toMillis()));
        return new CachedSession(session, sentAt + TimeUnit.MILLISECONDS.toNanos(deadline - redisNow));
    }

    @Override
    public Uni<List<SessionSummary>> list(String userId) {
        return calls.bounded(LIST.run(redis, List.of(indexKey(userId)), List.of(SESSION_PREFIX)))
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
        return calls.confirmed(REVOKE, redis, List.of(indexKey(userId)), List.of(sessionId, SESSION_PREFIX))
                .map(deleted -> deleted.toInteger() > 0)
                .call(revoked -> revoked ? feed.barrier() : Uni.createFrom().voidItem());
    }

    @Override
    public Uni<Void> revokeAll(String userId) {
        return calls.confirmed(REVOKE_ALL, redis, List.of(indexKey(userId)), List.of(SESSION_PREFIX))
                .call(feed::barrier)
                .replaceWithVoid();
    }

    /**
     * One pipelined round trip of {@code EXISTS} per key (not a script over all keys, so that it stays valid when
     * the keys live in different Redis Cluster slots); the session key expires exactly when the session does.
     */
    @Override
    public Uni<Set<String>> ended(Collection<String> handles) {
        List<String> ordered = List.copyOf(handles);
        if (ordered.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        List<Request> checks = ordered.stream().map(handle -> Request.cmd(Command.EXISTS).arg(SESSION_PREFIX + handle)).toList();
        return calls.bounded(redis.getRedis().batch(checks)).map(answers -> {
            Set<String> gone = new LinkedHashSet<>();
            for (int i = 0; i < ordered.size(); i++) {
                if (answers.get(i).toInteger() == 0) {
                    gone.add(ordered.get(i));
                }
            }
            return gone;
        });
    }

    /** A session read from Redis and when, on this replica's monotonic clock, it must be read again. */
    private record CachedSession(Session session, long usableUntilNanos) {
        boolean usableAt(long nanoTime) {
            return nanoTime - usableUntilNanos < 0;
        }
    }

    private static String indexKey(String userId) {
        return "user-sessions:" + userId;
    }

    private static Set<String> roles(String joined) {
        return joined.isEmpty() ? Set.of() : Arrays.stream(joined.split(",")).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
