package dev.clones.auth.service;

import dev.clones.auth.config.AuthConfig;
import dev.clones.common.config.ClonesConfig;
import dev.clones.common.error.ApiProblem;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * Failed logins are counted in Redis, per account and per client address, so an attacker
 * gains nothing by spreading guesses over replicas.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final RedisScript RECORD_FAILURE = RedisScript.fromResource("lua/login-failure.lua");

    private final ReactiveRedisDataSource redis;
    private final AuthConfig.Throttle config;
    private final RedisCalls calls;

    public LoginThrottle(ReactiveRedisDataSource redis, AuthConfig config, ClonesConfig clones) {
        this.redis = redis;
        this.config = config.throttle();
        this.calls = new RedisCalls(clones.redis());
    }

    /** Fails with 429 and {@code Retry-After} while either counter is over its limit. */
    public Uni<Void> check(String email, String address) {
        return calls.bounded(redis.execute("MGET", accountKey(email), addressKey(address)))
                .flatMap(counts -> {
                    boolean account = over(counts.get(0), config.maxFailuresPerAccount());
                    boolean client = over(counts.get(1), config.maxFailuresPerAddress());
                    if (!account && !client) {
                        return Uni.createFrom().voidItem();
                    }
                    return calls.bounded(redis.execute("PTTL", account ? accountKey(email) : addressKey(address)))
                            .map(ttl -> {
                                long seconds = Math.max(1, (ttl.toLong() + 999) / 1000);
                                throw new ApiProblem(429, "Too Many Requests",
                                        "Too many failed logins for this " + (account ? "account" : "client address")
                                                + "; try again in " + seconds + " s.",
                                        Map.of("Retry-After", Long.toString(seconds)));
                            });
                });
    }

    public Uni<Void> recordFailure(String email, String address) {
        return calls.bounded(RECORD_FAILURE.run(redis, List.of(accountKey(email), addressKey(address)),
                List.of(Long.toString(config.window().toMillis())))).replaceWithVoid();
    }

    /** A successful login clears the account's counter (not the address's: one good password proves little about the rest). */
    public Uni<Void> recordSuccess(String email) {
        return calls.bounded(redis.execute("DEL", accountKey(email))).replaceWithVoid();
    }

    private static boolean over(Response count, int limit) {
        return count != null && count.toLong() >= limit;
    }

    private static String accountKey(String email) {
        return "login-failures:account:" + email;
    }

    private static String addressKey(String address) {
        return "login-failures:address:" + address;
    }
}
