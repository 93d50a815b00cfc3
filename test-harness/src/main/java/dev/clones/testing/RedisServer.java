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
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Starts a new server on a free port in a fresh temp directory and waits until it answers PING. */
    public static RedisServer start() {
        RedisServer server = new RedisServer(FreePorts.next(), Processes.tempDir("it-redis-"));
        server.launch();
        return server;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}, the form Quarkus' {@code quarkus.redis.hosts} takes. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dir;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGTERM and wait: Redis flushes the AOF and exits. */
    public synchronized void stop() {
        if (process != null && !Processes.terminate(process, STOP_TIMEOUT)) {
            throw new IllegalStateException("Redis on port " + port + " ignored SIGTERM for " + STOP_TIMEOUT.toSeconds() + " s and was killed");
        }
    }

    /** SIGKILL and wait: a crash. */
    public synchronized void kill() {
        if (process != null) {
            Processes.kill(process);
        }
    }

    /** Stops the server if it runs, then starts it again on the same port and data directory. */
    public synchronized void restart() {
        stop();
        launch();
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
    public synchronized void close() {
        if (process != null) {
            Processes.kill(process);
        }
        Processes.deleteDataDir(dir);
    }

    @Override
    public String toString() {
        return "RedisServer[" + uri() + ", " + dir + "]";
    }

    private Object send(String... args) {
        Object reply;
        try {
            reply = exchange(args, Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on port " + port + " did not answer " + String.join(" ", args), e);
        }
        if (reply instanceof Resp.Error error) {
            throw new IllegalStateException("Redis answered " + String.join(" ", args) + " with an error: " + error.message());
        }
        return reply;
    }

    private Object exchange(String[] args, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
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

    private void launch() {
        ProcessBuilder builder = new ProcessBuilder(
                Processes.executable("redis-server", "redis-server").toString(),
                "--port", String.valueOf(port),
                "--bind", "127.0.0.1",
                "--dir", dir.toString(),
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--save", "",
                "--daemonize", "no",
                "--logfile", dir.resolve("redis.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.stdout").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        process = Processes.start(builder);
        try {
            Processes.await("Redis on port " + port, process, START_TIMEOUT, this::logTail, this::answersPong);
        } catch (RuntimeException e) {
            Processes.kill(process);
            throw e;
        }
    }

    private String logTail() {
        return Processes.tail(dir.resolve("redis.stdout"), 10) + "\n" + Processes.tail(dir.resolve("redis.log"), 40);
    }
}
