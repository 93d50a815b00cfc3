package dev.clones.common.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.BiFunction;

/**
 * A Lua script run atomically inside Redis. Whatever must not be lost when two replicas race
 * (or one dies halfway) is done in one script, never as read-modify-write in Java.
 * Runs by SHA and falls back to the source when Redis does not know it yet (after a restart).
 */
public final class RedisScript {

    private final String source;
    private final String sha;

    private RedisScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** Loads a script bundled under {@code src/main/resources} (registered for native images there). */
    public static RedisScript fromResource(String path) {
        return new RedisScript(read(path));
    }

    /**
     * One script composed of bundled parts in this order, e.g. a prelude of functions that several scripts share
     * and then the script itself. The parts become one Lua chunk (a prelude's file-level locals are visible to what
     * follows it) and the SHA is that of the composed text. Each part starts on a line of its own, so a part that
     * ends without a newline cannot run into the next; line numbers in Redis's error replies count from the first
     * part's first line.
     */
    public static RedisScript fromResources(String... paths) {
        if (paths.length == 0) {
            throw new IllegalArgumentException("A script needs at least one part");
        }
        StringJoiner composed = new StringJoiner("\n");
        for (String path : paths) {
            composed.add(read(path));
        }
        return new RedisScript(composed.toString());
    }

    private static String read(String path) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing Lua script on the classpath: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Uni<Response> run(ReactiveRedisDataSource redis, List<String> keys, List<String> args) {
        return send(redis::execute, keys, args);
    }

    /**
     * Sends the script by SHA through {@code send} and, when Redis does not know it yet, once more with its source.
     * {@code send} carries one command ({@code EVALSHA} or {@code EVAL}) with its arguments: alone ({@link #run}) or
     * in a batch that asks for replicas' confirmation after it ({@link RedisCalls#confirmed}); either fails with
     * Redis's NOSCRIPT error reply when the script is unknown.
     */
    <T> Uni<T> send(BiFunction<Command, String[], Uni<T>> send, List<String> keys, List<String> args) {
        return Uni.createFrom().deferred(() -> send.apply(Command.EVALSHA, arguments(sha, keys, args)))
                .onFailure(RedisScript::isNoScript)
                .recoverWithUni(() -> send.apply(Command.EVAL, arguments(source, keys, args)));
    }

    /** One command with its arguments as a request, for a batch. */
    static Request request(Command command, String... arguments) {
        Request request = Request.cmd(command);
        for (String argument : arguments) {
            request.arg(argument);
        }
        return request;
    }

    private static String[] arguments(String script, List<String> keys, List<String> args) {
        List<String> all = new ArrayList<>(2 + keys.size() + args.size());
        all.add(script);
        all.add(Integer.toString(keys.size()));
        all.addAll(keys);
        all.addAll(args);
        return all.toArray(String[]::new);
    }

    private static boolean isNoScript(Throwable failure) {
        return String.valueOf(failure.getMessage()).contains("NOSCRIPT");
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
