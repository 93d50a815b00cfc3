package dev.clones.testing;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.SafeEncoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real redis-server on a free loopback port with its own data directory.
 *
 * <p>AOF with {@code appendfsync always}: every acknowledged write survives {@link #stop()} and even
 * {@link #kill()}, so tests can restart Redis and expect their data back.
 */
public final class RedisServer extends ChildProcessServer implements RedisTier {

    /** Loading a large AOF on a crowded machine: generous. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Redis flushes the AOF at SIGTERM; that takes well under a second here. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** Options after the common ones, e.g. those of a Redis Cluster node. */
    private final List<String> extraOptions;

    private RedisServer(int port, Path dir, List<String> extraOptions) {
        super("Redis on port " + port, port, dir, START_TIMEOUT, STOP_TIMEOUT);
        this.extraOptions = List.copyOf(extraOptions);
    }

    /** Starts a new server on a free port in a fresh temp directory and waits until it answers PING. */
    public static RedisServer start() {
        return start(List.of());
    }

    /** The same with {@code options} added to the command line (e.g. {@code --cluster-enabled yes}). */
    static RedisServer start(List<String> options) {
        RedisServer server = new RedisServer(FreePorts.next(), Processes.tempDir("it-redis-"), options);
        server.launch();
        return server;
    }

    /** {@code redis://127.0.0.1:PORT}, the form Quarkus' {@code quarkus.redis.hosts} takes. */
    @Override
    public String uri() {
        return "redis://127.0.0.1:" + port();
    }

    @Override
    public String clientType() {
        return "standalone";
    }

    @Override
    public List<RedisServer> primaries() {
        return List.of(this);
    }

    public Path dataDir() {
        return base();
    }

    /**
     * Sends one command and returns the reply as text: strings as they are, integers in decimal, arrays as
     * {@code [a, b]} (a nil element as {@code (nil)}), a nil reply as {@code null}. An error reply throws
     * {@link IllegalStateException}.
     */
    @Override
    public String command(String... args) {
        Object reply = send(args);
        return reply == null ? null : render(reply);
    }

    /** Sends one command whose reply is an array (e.g. {@code KEYS *}); nil elements are {@code null}. */
    @Override
    public List<String> commandList(String... args) {
        return renderList(args, send(args));
    }

    /** An array reply as {@link #commandList} answers it. */
    static List<String> renderList(String[] args, Object reply) {
        if (!(reply instanceof List<?> items)) {
            throw new IllegalStateException(String.join(" ", args) + " did not answer an array but " + render(reply));
        }
        List<String> result = new ArrayList<>(items.size());
        for (Object item : items) {
            result.add(item == null ? null : render(item));
        }
        return result;
    }

    @Override
    public String toString() {
        return "RedisServer[" + uri() + ", " + dataDir() + "]";
    }

    /** The same as {@link #command} with the reply as Jedis gives it, for {@link RedisClusterServer}. */
    Object send(String... args) {
        try {
            return exchange(args, Duration.ofSeconds(30));
        } catch (JedisDataException e) {
            throw new IllegalStateException("Redis answered " + String.join(" ", args) + " with an error: " + e.getMessage(), e);
        } catch (JedisException e) {
            throw new UncheckedIOException(name() + " did not answer " + String.join(" ", args), new IOException(e));
        }
    }

    /** One command on a connection of its own: a test may have stopped, paused or restarted the server in between. */
    private Object exchange(String[] args, Duration timeout) {
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) timeout.toMillis()).socketTimeoutMillis((int) timeout.toMillis())
                // Plain RESP2, as the replies are read here; no negotiation (and no warning about it) per connection.
                .autoNegotiateProtocol(false).build();
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port()), config)) {
            ProtocolCommand command = () -> SafeEncoder.encode(args[0]);
            return jedis.sendCommand(command, Arrays.copyOfRange(args, 1, args.length));
        }
    }

    /** Jedis answers bulk and simple strings as bytes, integers as {@code Long}, arrays as lists. */
    static String render(Object reply) {
        if (reply instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (reply instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object item : list) {
                items.add(item == null ? "(nil)" : render(item));
            }
            return items.toString();
        }
        return String.valueOf(reply);
    }

    private boolean answersPong() {
        try {
            // While loading the AOF, Redis answers -LOADING: not ready yet.
            return "PONG".equals(render(exchange(new String[] {"PING"}, Duration.ofSeconds(2))));
        } catch (JedisException e) {
            return false;
        }
    }

    @Override
    protected ProcessBuilder command() {
        Path dir = dataDir();
        List<String> line = new ArrayList<>(List.of(
                Processes.executable("redis-server", "redis-server").toString(),
                "--port", String.valueOf(port()),
                "--bind", "127.0.0.1",
                "--dir", dir.toString(),
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--save", "",
                "--daemonize", "no",
                "--logfile", dir.resolve("redis.log").toString()));
        line.addAll(extraOptions);
        return new ProcessBuilder(line);
    }

    @Override
    protected Path outputLog() {
        return dataDir().resolve("redis.stdout");
    }

    @Override
    protected void awaitReady(Process launched, Duration timeout) {
        pollUntil(launched, timeout, this::answersPong);
    }

    @Override
    protected String logTail() {
        return Processes.tail(outputLog(), 10) + "\n" + Processes.tail(dataDir().resolve("redis.log"), 40);
    }
}
