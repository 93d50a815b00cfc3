package dev.clones.worker.repository;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import dev.clones.contracts.NotificationKeys;
import dev.clones.contracts.ReportKeys;
import dev.clones.contracts.ReportStatus;
import dev.clones.worker.config.WorkerConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.redis.datasource.keys.KeyScanCursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Report records in Redis, shared with media-service, which creates them:
 *
 * <pre>
 * report:{reportId}          hash    id, userId, type, format, status, createdAt, updatedAt, startedAt,
 *                                    finishedAt, attempts, worker, objectKey, error      (times: epoch ms)
 * user-reports:{userId}      zset    report ids scored by createdAt
 * </pre>
 * Status moves queued → running → done | failed, always inside a Lua script, so that racing workers (a
 * redelivered job, two maintenance sweeps) cannot undo each other. Outcomes are announced by the same
 * script that records them: appended to the owner's event stream ({@code notifications:events:{userId}},
 * bounded by {@link WorkerConfig.Notifications}) and published on the notification channel with its eventId.
 */
@ApplicationScoped
public class ReportRecordRepository {

    private static final RedisScript START = RedisScript.fromResource("lua/report-start.lua");
    /** Every script that announces an event starts with this prelude: kept in the user's history and published at once. */
    private static final String ANNOUNCE = "lua/notification-announce.lua";
    private static final RedisScript FINISH = RedisScript.fromResources(ANNOUNCE, "lua/report-finish.lua");
    private static final RedisScript ABANDON = RedisScript.fromResources(ANNOUNCE, "lua/report-abandon.lua");
    private static final RedisScript PRUNE_INDEX = RedisScript.fromResource("lua/report-index-prune.lua");

    private final ReactiveRedisDataSource reactive;
    private final RedisDataSource redis;
    private final RedisCalls calls;
    /** The trailing arguments of every announcing script (see notification-announce.lua). */
    private final List<String> announcing;

    public ReportRecordRepository(ReactiveRedisDataSource reactive, RedisDataSource redis, ClonesConfig clones, WorkerConfig config) {
        this.reactive = reactive;
        this.redis = redis;
        this.calls = new RedisCalls(clones.redis());
        WorkerConfig.Notifications notifications = config.notifications();
        this.announcing = List.of(NotificationKeys.LIVE_PREFIX, NotificationKeys.EVENTS_PREFIX,
                Integer.toString(notifications.historyMaxEvents()), Long.toString(notifications.historyMaxAge().toMillis()));
    }

    /** Claims the report for this attempt; see {@link ClaimResult}. */
    public ClaimResult claim(String reportId, String userId, int attempt, String worker) {
        String status = run(START, List.of(key(reportId)), List.of(Integer.toString(attempt), worker, userId));
        return ClaimResult.valueOf(status.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Marks the report of {@code userId} done with its object and announces {@code report.done} (kept in the user's
     * history and published); answers the status afterwards, or {@code foreign} when the report is not the user's
     * (nothing changed).
     */
    public String markDone(String reportId, String userId, String objectKey, String downloadUrl) {
        return confirmed(FINISH, List.of(key(reportId), NotificationKeys.events(userId)),
                announcing(ReportStatus.DONE.wireName(), objectKey, downloadUrl));
    }

    /** Marks the report of {@code userId} failed with a reason and announces {@code report.failed}, unless it is done already. */
    public String markFailed(String reportId, String userId, String error) {
        return confirmed(FINISH, List.of(key(reportId), NotificationKeys.events(userId)), announcing(ReportStatus.FAILED.wireName(), error, ""));
    }

    /**
     * Fails a report that has been in {@code status} for longer than {@code age}; true if it did. The owner is read
     * first to name their event stream; it never changes, and the script checks it again.
     */
    public boolean abandonIfStale(String reportId, ReportStatus status, Duration age, String error) {
        String owner = redis.hash(String.class).hget(key(reportId), "userId");
        if (owner == null) {
            return false;
        }
        String marked = confirmed(ABANDON, List.of(key(reportId), NotificationKeys.events(owner)),
                announcing(status.wireName(), Long.toString(age.toMillis()), error));
        return "1".equals(marked);
    }

    /** A script's own three arguments followed by the announcing ones. */
    private List<String> announcing(String first, String second, String third) {
        List<String> args = new java.util.ArrayList<>(List.of(first, second, third));
        args.addAll(announcing);
        return args;
    }

    public boolean exists(String reportId) {
        return redis.key(String.class).exists(key(reportId));
    }

    public String status(String reportId) {
        return redis.hash(String.class).hget(key(reportId), "status");
    }

    /** Calls {@code each} with the id of every report record, a SCAN page at a time. */
    public void forEachReportId(int pageSize, Consumer<String> each) {
        scan(ReportKeys.RECORD_PREFIX, pageSize, key -> each.accept(key.substring(ReportKeys.RECORD_PREFIX.length())));
    }

    /** Drops ids of vanished reports from every user's index; answers how many were dropped. */
    public long pruneUserIndexes(int pageSize) {
        long[] dropped = {0};
        scan(ReportKeys.USER_INDEX_PREFIX, pageSize, index -> dropped[0] += Long.parseLong(run(PRUNE_INDEX, List.of(index), List.of(ReportKeys.RECORD_PREFIX))));
        return dropped[0];
    }

    private void scan(String prefix, int pageSize, Consumer<String> each) {
        KeyScanCursor<String> cursor = redis.key(String.class).scan(new KeyScanArgs().match(prefix + "*").count(pageSize));
        while (cursor.hasNext()) {
            cursor.next().forEach(each);
        }
    }

    private String run(RedisScript script, List<String> keys, List<String> args) {
        return text(calls.bounded(Uni.createFrom().deferred(() -> script.run(reactive, keys, args))));
    }

    /**
     * Runs a script that settles the record a user polls (done, failed, abandoned) and waits for the replicas
     * {@code clones.redis.write-replicas} asks for: one Sentinel failover must not turn a report the user saw done
     * back into running. Too few confirmations fail the job's attempt, which is retried like any other failure.
     */
    private String confirmed(RedisScript script, List<String> keys, List<String> args) {
        return text(calls.confirmed(script, reactive, keys, args));
    }

    private static String text(Uni<Response> reply) {
        return reply.map(response -> response == null ? null : response.toString()).await().indefinitely();
    }

    static String key(String reportId) {
        return ReportKeys.record(reportId);
    }

    /** What a worker finds when it claims a report for a job. */
    public enum ClaimResult {
        /** Claimed: render it. */
        RUNNING,
        /** Finished before (a redelivered job): nothing to do. */
        DONE,
        /** Given up before: nothing to do. */
        FAILED,
        /** No such report (expired, deleted, or its request was refused after all): nothing to do. */
        MISSING,
        /** The report belongs to someone else than the job says: the job is not trusted. */
        FOREIGN
    }
}
