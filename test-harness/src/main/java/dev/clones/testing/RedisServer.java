package dev.clones.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server on a free loopback port with its own data directory.
 *
 * <p>AOF with {@code appendfsync always}: every acknowledged write survives {@link #stop()} and even
 * {@link #kill()}, so tests can restart Redis and expect their data back.
 */
public final class RedisServer extends ChildProcessServer {

    /** Loading a large AOF on a crowded machine: generous. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Redis flushes the AOF at SIGTERM; that takes well under a second here. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private RedisServer(int port, Path dir) {
        super("Redis on port " + port, port, dir, START_TIMEOUT, STOP_TIMEOUT);
    }

    /** Starts a new server on a free port in a fresh temp directory and waits until it answers PING. */
    public static RedisServer start() {
        RedisServer server = new RedisServer(FreePorts.next(), Processes.tempDir("it-redis-"));
        server.launch();
        return server;
    }

    /** {@code redis://127.0.0.1:PORT}, the form Quarkus' {@code quarkus.redis.hosts} takes. */
    public String uri() {
        return "redis://127.0.0.1:" + port();
    }

    public Path dataDir() {
        return base();
    }

    /**
     * Sends one command and returns the reply as text: strings as they are, integers in decimal, arrays as
     * {@code [a, b]}, a nil reply as {@code null}. An error reply throws {@link IllegalStateException}.
     */
    public String command(String... args) {
        Object reply = send(args);
        return reply == null ? null : Resp.render(reply);
    }

    /** Sends one command whose reply is an array (e.g. {@code KEYS *}); nil elements are {@code null}. */
    public List<String> commandList(String... args) {
        Object reply = send(args);
        if (!(reply instanceof List<?> items)) {
            throw new IllegalStateException(String.join(" ", args) + " did not answer an array but " + Resp.render(reply));
        }
        List<String> result = new ArrayList<>(items.size());
        for (Object item : items) {
            result.add(item == null ? null : Resp.render(item));
        }
        return result;
    }

    @Override
    public String toString() {
        return "RedisServer[" + uri() + ", " + dataDir() + "]";
    }

    private Object send(String... args) {
        Object reply;
        try {
            reply = exchange(args, Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new UncheckedIOException(name() + " did not answer " + String.join(" ", args), e);
        }
        if (reply instanceof Resp.Error error) {
            throw new IllegalStateException("Redis answered " + String.join(" ", args) + " with an error: " + error.message());
        }
        return reply;
    }

    private Object exchange(String[] args, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(Resp.encode(args));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            return Resp.read(in);
        }
    }

    private boolean answersPong() {
        try {
            // While loading the AOF, Redis answers -LOADING: not ready yet.
            return "PONG".equals(exchange(new String[] {"PING"}, Duration.ofSeconds(2)));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    protected ProcessBuilder command() {
        Path dir = dataDir();
        return new ProcessBuilder(
                Processes.executable("redis-server", "redis-server").toString(),
                "--port", String.valueOf(port()),
                "--bind", "127.0.0.1",
                "--dir", dir.toString(),
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--save", "",
                "--daemonize", "no",
                "--logfile", dir.resolve("redis.log").toString());
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
