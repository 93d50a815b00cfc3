package dev.clones.auth.service;

import dev.clones.auth.config.AuthConfig;
import dev.clones.common.config.ClonesConfig;
import dev.clones.common.error.ApiProblem;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * Login and registration attempts counted in Redis (see {@link AuthConfig.Throttle}), so an attacker gains nothing
 * by spreading them over replicas, and an atomic script takes an attempt's slot of each counter before the attempt
 * is judged, so parallel attempts gain nothing either: at most the limit of guesses is ever checked.
 *
 * <p>Each script touches one counter, so that it is valid on Redis Cluster, where an attempt's counters live in
 * different slots. Per counter, check and increment stay one step, which is what bounds the attempts let through.
 * Across counters an attempt is no longer all-or-nothing at one instant: it takes its slots one by one and gives
 * back the ones it took when a later counter is at its limit. Meanwhile those slots are held, so a concurrent
 * attempt may be refused that would have fit; none is ever let through beyond a limit, since every attempt let
 * through holds a slot of every counter. A failure before the give-back leaves a slot taken until the window ends:
 * more throttling, never less. (One edge, as old as {@link #refundLogin}: a give-back that lands after its counter's
 * window ended and a new window began takes a slot of the new one, which the milliseconds between the steps make
 * rare and which is at most one slot per attempt straddling the boundary.)
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
     * them is at its limit (the slots it took are given back first). A failed attempt keeps its slots; {@link #refund} gives them back.
     */
    public Uni<Void> reserveLogin(String email, String address) {
        List<String> keys = loginKeys(email, address);
        return reserve(keys, config.window().toMillis(),
                List.of(config.maxFailuresPerAccountAndAddress(), config.maxFailuresPerAccount(), config.maxFailuresPerAddress()),
                List.of("failed logins for this account from this client address", "failed logins for this account",
                        "failed logins from this client address"));
    }

    /**
     * The password was right: this attempt was no failure, and this account from this address starts afresh. The
     * account-wide and address-wide counters each lose this attempt's slot only: others' failures there stay.
     */
    public Uni<Void> refundLogin(String email, String address) {
        List<String> keys = loginKeys(email, address);
        return Uni.join().all(calls.bounded(redis.execute(Command.DEL, keys.get(0))).replaceWithVoid(),
                        giveBack(keys.subList(1, keys.size())))
                .andFailFast().replaceWithVoid();
    }

    /** Counts a registration from {@code address}, or fails with 429 once the address registered its limit. */
    public Uni<Void> reserveRegistration(String address) {
        return reserve(List.of("registrations:address:" + address), config.registrationWindow().toMillis(),
                List.of(config.maxRegistrationsPerAddress()), List.of("registrations from this client address"));
    }

    private Uni<Void> reserve(List<String> keys, long windowMillis, List<Integer> limits, List<String> what) {
        return take(0, keys, windowMillis, limits, what);
    }

    /**
     * Takes a slot of counter {@code i} and then of the ones after it, in order, so the first counter at its limit is
     * the one answered; a refusal gives back the slots of the counters before {@code i} that this attempt took.
     */
    private Uni<Void> take(int i, List<String> keys, long windowMillis, List<Integer> limits, List<String> what) {
        if (i == keys.size()) {
            return Uni.createFrom().voidItem();
        }
        return calls.bounded(RESERVE.run(redis, List.of(keys.get(i)), List.of(Long.toString(windowMillis), Integer.toString(limits.get(i)))))
                .flatMap(reply -> reply.type() == ResponseType.NUMBER
                        ? take(i + 1, keys, windowMillis, limits, what)
                        : giveBack(keys.subList(0, i)).onItem().failWith(() -> tooMany(what.get(i), reply.get(0).toLong())));
    }

    /** Gives back one slot of each counter, one single-key call each. */
    private Uni<Void> giveBack(List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(keys.stream().map(key -> calls.bounded(REFUND.run(redis, List.of(key), List.of()))).toList())
                .andFailFast().replaceWithVoid();
    }

    private static ApiProblem tooMany(String what, long millisUntilExpiry) {
        long seconds = Math.max(1, (Math.max(0, millisUntilExpiry) + 999) / 1000);
        return new ApiProblem(429, "Too Many Requests", "Too many " + what + "; try again in " + seconds + " s.",
                Map.of("Retry-After", Long.toString(seconds)));
    }

    /** Strict (account, address), account-wide, address-wide: the order of the limits in {@link #reserveLogin}. */
    private static List<String> loginKeys(String email, String address) {
        return List.of("login-failures:account-address:" + email + "|" + address,
                "login-failures:account:" + email, "login-failures:address:" + address);
    }
}
