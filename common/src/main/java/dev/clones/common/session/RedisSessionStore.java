package dev.clones.common.session;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.nearcache.NearCache;
import dev.clones.common.nearcache.NearCacheFeed;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
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
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sessions live in Redis and only there, so any replica can serve any request of any user.
 * Whatever reads and writes one key is one Lua script, so racing replicas cannot undo each other
 * (a revoke cannot be resurrected by a concurrent refresh, for instance).
 *
 * <p>Every script and command touches one key, so that all of this is valid on Redis Cluster, where a session's
 * record ({@code session:<handle>}) and its user's index ({@code user-sessions:<userId>}) live in different slots.
 * An operation on both is a sequence of single-key steps, ordered so that a failure between two steps leaves
 * nothing unsafe: a record is written before it is indexed and deleted before it is unindexed, so a live session
 * whose token someone holds is always in its user's index (listed, and ended by "log out everywhere"), and an index
 * entry may only outlive its record (pruned by {@link #list}). Keys in different slots are never sent in one batch
 * either: a cluster client refuses such a batch (CROSSSLOT), so each is its own call, the calls in flight together.
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
    private static final RedisScript INDEX = RedisScript.fromResource("lua/session-index.lua");
    private static final RedisScript LIST_INDEX = RedisScript.fromResource("lua/session-list-index.lua");

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

    /**
     * The record first, then the index entry; the token is answered only once both are confirmed. A record whose
     * index step failed is unusable (nobody ever got its token) and expires by itself. The other order is unsafe:
     * a "log out everywhere" running between the two steps would remove the new entry and delete a record not yet
     * written, and the record written next would be a live session, known to its client, outside the index, so
     * missed by every later "log out everywhere".
     */
    @Override
    public Uni<NewSession> create(String userId, String email, Set<String> roles, String userAgent) {
        String token = SessionTokens.newToken();
        String handle = SessionTokens.handleOf(token);
        String agent = userAgent == null ? "" : userAgent.substring(0, Math.min(userAgent.length(), 256));
        return calls.confirmed(CREATE, redis, List.of(SESSION_PREFIX + handle),
                        List.of(userId, email, String.join(",", roles), agent,
                                Long.toString(config.idleTimeout().toMillis()),
                                Long.toString(config.absoluteTimeout().toMillis())))
                .flatMap(times -> calls.confirmed(INDEX, redis, List.of(indexKey(userId)), List.of(times.get(1).toString(), handle))
                        .replaceWith(times))
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

    /**
     * The index (pruned of expired handles), then each listed record; a handle whose record is gone (revoked, or
     * ended idle) is dropped from the index. Only those: every indexed handle had its record written first, so a
     * missing record is a session that ended, never one being created.
     */
    @Override
    public Uni<List<SessionSummary>> list(String userId) {
        String index = indexKey(userId);
        return calls.bounded(LIST_INDEX.run(redis, List.of(index), List.of()))
                .map(RedisSessionStore::strings)
                .flatMap(handles -> eachKey(handles, handle -> redis.execute(Command.HMGET, SESSION_PREFIX + handle, "created", "seen", "ua"))
                        .flatMap(records -> {
                            List<SessionSummary> sessions = new ArrayList<>();
                            List<String> gone = new ArrayList<>();
                            for (int i = 0; i < handles.size(); i++) {
                                Response record = records.get(i);
                                if (record.get(0) == null) {
                                    gone.add(handles.get(i));
                                } else {
                                    sessions.add(new SessionSummary(handles.get(i),
                                            Instant.ofEpochMilli(record.get(0).toLong()),
                                            Instant.ofEpochMilli(record.get(1).toLong()),
                                            record.get(2) == null ? "" : record.get(2).toString()));
                                }
                            }
                            return prune(index, gone).replaceWith(sessions);
                        }));
    }

    /**
     * Ownership first (the handle is in this user's index, so nobody revokes another's session by guessing its
     * handle), then the record, then the index entry. Never the entry first: a failed delete after it would leave a
     * live session its owner could no longer revoke. A failure after the delete leaves an entry without a record,
     * which {@link #list} drops. {@code true} when a live record was deleted, as before.
     */
    @Override
    public Uni<Boolean> revoke(String userId, String sessionId) {
        String index = indexKey(userId);
        return calls.bounded(redis.execute(Command.ZSCORE, index, sessionId))
                .flatMap(score -> score == null
                        ? Uni.createFrom().item(false)
                        : calls.confirmed(redis, Command.DEL, SESSION_PREFIX + sessionId)
                                .flatMap(deleted -> unindex(index, List.of(sessionId)).replaceWith(deleted.toInteger() > 0)))
                .call(revoked -> revoked ? feed.barrier() : Uni.createFrom().voidItem());
    }

    /**
     * The indexed handles, then every record of them, then exactly those entries: not the whole index, since a
     * session created meanwhile (its entry added after the read) is live and must stay listed. Such a session is
     * either in the read and deleted, or added after it and kept indexed; never live and unlisted. One confirmed
     * delete per record, all in flight together: a multi-key DEL or one batch would span slots on a cluster.
     */
    @Override
    public Uni<Void> revokeAll(String userId) {
        String index = indexKey(userId);
        return calls.bounded(redis.execute(Command.ZRANGE, index, "0", "-1"))
                .map(RedisSessionStore::strings)
                .flatMap(handles -> eachKey(handles, handle -> calls.confirmed(redis, Command.DEL, SESSION_PREFIX + handle))
                        .flatMap(deleted -> unindex(index, handles)))
                .call(feed::barrier)
                .replaceWithVoid();
    }

    /**
     * One {@code EXISTS} per key, all in flight together (neither a script over all keys nor one batch, which a
     * cluster client refuses when the keys live in different Redis Cluster slots); the session key expires exactly
     * when the session does.
     */
    @Override
    public Uni<Set<String>> ended(Collection<String> handles) {
        List<String> ordered = List.copyOf(handles);
        return eachKey(ordered, handle -> redis.execute(Command.EXISTS, SESSION_PREFIX + handle)).map(answers -> {
            Set<String> gone = new LinkedHashSet<>();
            for (int i = 0; i < ordered.size(); i++) {
                if (answers.get(i).toInteger() == 0) {
                    gone.add(ordered.get(i));
                }
            }
            return gone;
        });
    }

    /**
     * One single-key call per handle, all sent before any answers, each bounded by the call timeout: the answers in
     * the handles' order. Fails as soon as one call fails (the others may still have been made).
     */
    private Uni<List<Response>> eachKey(List<String> handles, Function<String, Uni<Response>> call) {
        if (handles.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<Response>> calls = handles.stream().map(handle -> this.calls.bounded(call.apply(handle))).toList();
        return Uni.join().all(calls).andFailFast();
    }

    /** Drops these handles from the user's index, confirmed: the user is told those sessions are gone. */
    private Uni<Void> unindex(String index, List<String> handles) {
        return handles.isEmpty()
                ? Uni.createFrom().voidItem()
                : calls.confirmed(redis, Command.ZREM, zrem(index, handles)).replaceWithVoid();
    }

    /** Drops handles whose records are gone anyway from the user's index; a read's tidying, so not confirmed. */
    private Uni<Void> prune(String index, List<String> handles) {
        return handles.isEmpty()
                ? Uni.createFrom().voidItem()
                : calls.bounded(redis.execute(Command.ZREM, zrem(index, handles))).replaceWithVoid();
    }

    /** The arguments of one {@code ZREM}: a single key, so valid on a cluster however many handles. */
    private static String[] zrem(String index, List<String> handles) {
        String[] arguments = new String[handles.size() + 1];
        arguments[0] = index;
        for (int i = 0; i < handles.size(); i++) {
            arguments[i + 1] = handles.get(i);
        }
        return arguments;
    }

    private static List<String> strings(Response array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            for (Response value : array) {
                values.add(value.toString());
            }
        }
        return values;
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
