package dev.clones.media.reports;

import dev.clones.common.paging.IndexCursor;
import dev.clones.common.paging.Page;
import dev.clones.common.paging.PageRequest;
import dev.clones.common.config.ClonesConfig;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import dev.clones.contracts.ReportKeys;
import dev.clones.contracts.ReportStatus;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * Report records in Redis, shared with report-worker (which moves them from queued to running, done or
 * failed, and whose maintenance job removes leftovers):
 *
 * <pre>
 * report:{id}                         hash   id, userId, type, format, status, createdAt, updatedAt, published,
 *                                            startedAt, finishedAt, attempts, worker, objectKey, error (times: epoch ms)
 *                                            expires with the retention
 * user-reports:{userId}               zset   report ids by createdAt
 * report-idempotency:{userId}:{hash}  hash   report, fingerprint (type/format)      expires with the key retention
 * </pre>
 */
@ApplicationScoped
public class ReportRepository {

    /** How many of a user's newest reports report-create.lua looks at for unfinished ones (see there). */
    static final int ACTIVE_SCAN = 200;

    private static final RedisScript CREATE = RedisScript.fromResource("lua/report-create.lua");
    private static final RedisScript PUBLISHED = RedisScript.fromResource("lua/report-published.lua");
    private static final RedisScript WITHDRAW = RedisScript.fromResource("lua/report-withdraw.lua");
    private static final RedisScript LIST = RedisScript.fromResources("lua/index-page.lua", "lua/report-list.lua");

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final RedisCalls calls;
    private final ReportsConfig config;

    public ReportRepository(ReactiveRedisDataSource redis, ClonesConfig clones, ReportsConfig config) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.calls = new RedisCalls(clones.redis());
        this.config = config;
    }

    /** What creating a report found. */
    public sealed interface Creation {
        record Created(ReportRecord report) implements Creation {
        }

        record Existing(String reportId) implements Creation {
        }

        record KeyReused() implements Creation {
        }

        /** The user has the most reports queued or running already: nothing created. */
        record Busy() implements Creation {
        }
    }

    public Uni<Creation> create(String id, String userId, String type, String format, String idempotencyKey) {
        boolean keyed = idempotencyKey != null;
        return calls.confirmed(CREATE, redis, List.of(key(id), indexKey(userId), idempotencyKey(userId, idempotencyKey)),
                        List.of(id, userId, type, format, Long.toString(config.retention().toMillis()),
                                Long.toString(config.idempotencyKeyRetention().toMillis()), keyed ? "1" : "0", ReportKeys.RECORD_PREFIX,
                                Integer.toString(config.maxActivePerUser()), Integer.toString(ACTIVE_SCAN)))
                .map(reply -> switch (reply.get(0).toString()) {
                    case "created" -> new Creation.Created(new ReportRecord(id, userId, type, format, ReportStatus.QUEUED.wireName(),
                            Instant.ofEpochMilli(reply.get(1).toLong()), null, null, null, false));
                    case "existing" -> new Creation.Existing(reply.get(1).toString());
                    case "busy" -> new Creation.Busy();
                    default -> new Creation.KeyReused();
                });
    }

    /** True when noted; false when the report is gone (withdrawn meanwhile). */
    public Uni<Boolean> markPublished(String id) {
        return calls.bounded(PUBLISHED.run(redis, List.of(key(id)), List.of())).map(r -> r.toInteger() == 1);
    }

    public Uni<Boolean> withdraw(String id, String userId, String idempotencyKey) {
        return calls.confirmed(WITHDRAW, redis, List.of(key(id), indexKey(userId), idempotencyKey(userId, idempotencyKey)),
                        List.of(id, idempotencyKey != null ? "1" : "0"))
                .map(r -> r.toInteger() == 1);
    }

    /** The user's report, or {@code null} when there is none (another user's counts as none). */
    public Uni<ReportRecord> find(String userId, String id) {
        return calls.bounded(hashes.hgetall(key(id))).map(fields -> {
            if (fields == null || !userId.equals(fields.get("userId"))) {
                return null;
            }
            return record(fields);
        });
    }

    /** One page of the user's reports, newest first. */
    public Uni<Page<ReportRecord>> list(String userId, PageRequest page) {
        Optional<IndexCursor> after = page.cursor().map(IndexCursor::decode);
        return calls.bounded(LIST.run(redis, List.of(indexKey(userId)), List.of(ReportKeys.RECORD_PREFIX, Integer.toString(page.limit()),
                        after.map(c -> Long.toString(c.score())).orElse(""), after.map(IndexCursor::id).orElse(""))))
                .map(answer -> {
                    List<ReportRecord> reports = new ArrayList<>();
                    for (Response row : answer.get(0)) {
                        reports.add(new ReportRecord(row.get(0).toString(), userId, row.get(1).toString(),
                                row.get(2).toString(), row.get(3).toString(), millis(row.get(4).toString()),
                                millis(row.get(5).toString()), blankToNull(row.get(6).toString()),
                                blankToNull(row.get(7).toString()), "1".equals(row.get(8).toString())));
                    }
                    return new Page<>(reports, IndexCursor.next(answer.get(1).toString(), answer.get(2).toString()));
                });
    }

    private static ReportRecord record(Map<String, String> f) {
        return new ReportRecord(f.get("id"), f.get("userId"), f.get("type"), f.get("format"), f.get("status"),
                millis(f.get("createdAt")), millis(f.get("finishedAt")), blankToNull(f.get("objectKey")),
                blankToNull(f.get("error")), "1".equals(f.get("published")));
    }

    private static Instant millis(String value) {
        return value == null || value.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(value));
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    static String key(String id) {
        return ReportKeys.record(id);
    }

    private static String indexKey(String userId) {
        return ReportKeys.userIndex(userId);
    }

    /** Keys are hashed into the Redis key, so any printable key the client chose is safe there. */
    private static String idempotencyKey(String userId, String key) {
        if (key == null) {
            return "report-idempotency:" + userId + ":-";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "report-idempotency:" + userId + ":" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
