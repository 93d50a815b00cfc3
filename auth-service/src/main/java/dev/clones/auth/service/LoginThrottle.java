package dev.clones.auth.service;

import dev.clones.auth.config.AuthConfig;
import dev.clones.common.config.ClonesConfig;
import dev.clones.common.error.ApiProblem;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Login and registration attempts counted in Redis (see {@link AuthConfig.Throttle}), so an attacker gains nothing
 * by spreading them over replicas, and one atomic script takes an attempt's slots before the attempt is judged, so
 * parallel attempts gain nothing either: at most the limit of guesses is ever checked.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final RedisScript RESERVE = RedisScript.fromResource("lua/throttle-reserve.lua");
    private static final RedisScript REFUND = RedisScript.fromResource("lua/throttle-refund.lua");

    private final ReactiveRedisDataSource redis;
    private final AuthConfig.Throttle config;
    private final RedisCalls calls;

    public LoginThrottle(ReactiveRedisDataSource redis, AuthConfig config, ClonesConfig clones) {
        this.redis = redis;
        this.config = config.throttle();
        this.calls = new RedisCalls(clones.redis());
    }

    /**
     * Takes this login attempt's slot of each failure counter, or fails with 429 and {@code Retry-After} when one of
     * them is at its limit (nothing is taken then). A failed attempt keeps its slots; {@link #refund} gives them back.
     */
    public Uni<Void> reserveLogin(String email, String address) {
        List<String> keys = loginKeys(email, address);
        return reserve(keys, config.window().toMillis(),
                List.of(config.maxFailuresPerAccountAndAddress(), config.maxFailuresPerAccount(), config.maxFailuresPerAddress()),
                List.of("failed logins for this account from this client address", "failed logins for this account",
                        "failed logins from this client address"));
    }

    /** The password was right: this attempt was no failure, and this account from this address starts afresh. */
    public Uni<Void> refundLogin(String email, String address) {
        return calls.bounded(REFUND.run(redis, loginKeys(email, address), List.of())).replaceWithVoid();
    }

    /** Counts a registration from {@code address}, or fails with 429 once the address registered its limit. */
    public Uni<Void> reserveRegistration(String address) {
        return reserve(List.of("registrations:address:" + address), config.registrationWindow().toMillis(),
                List.of(config.maxRegistrationsPerAddress()), List.of("registrations from this client address"));
    }

    private Uni<Void> reserve(List<String> keys, long windowMillis, List<Integer> limits, List<String> what) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(windowMillis));
        limits.forEach(limit -> args.add(Integer.toString(limit)));
        return calls.bounded(RESERVE.run(redis, keys, args)).map(reply -> {
            if (reply.type() == ResponseType.NUMBER) {
                return null;
            }
            int counter = reply.get(0).toInteger();
            long seconds = Math.max(1, (Math.max(0, reply.get(1).toLong()) + 999) / 1000);
            throw new ApiProblem(429, "Too Many Requests",
                    "Too many " + what.get(counter - 1) + "; try again in " + seconds + " s.",
                    Map.of("Retry-After", Long.toString(seconds)));
        }).replaceWithVoid();
    }

    /** Strict (account, address), account-wide, address-wide: the order of the limits in {@link #reserveLogin}. */
    private static List<String> loginKeys(String email, String address) {
        return List.of("login-failures:account-address:" + email + "|" + address,
                "login-failures:account:" + email, "login-failures:address:" + address);
    }
}
