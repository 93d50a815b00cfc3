package dev.clones.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A real RabbitMQ node (Debian's rabbitmq-server) on free loopback ports with its own data directory.
 *
 * <p>Runs the real scripts in {@code /usr/lib/rabbitmq/bin}: the {@code /usr/sbin} wrappers switch user
 * and directory and lose the private HOME. Server and CLI share HOME, so they share the Erlang cookie.
 * No plugins are enabled, to keep the boot short (~7 s on an idle machine).
 */
public final class RabbitMqServer extends ChildProcessServer {

    private static final Path BIN = Path.of("/usr/lib/rabbitmq/bin");
    /** An Erlang VM boot on a crowded machine: generous. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    /** A clean stop flushes queues to disk first: also generous. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);

    private final int distPort;
    private final String node;

    private RabbitMqServer(int port, int distPort, Path base) {
        super("RabbitMQ node " + nodeName(port), port, base, BOOT_TIMEOUT, STOP_TIMEOUT);
        this.distPort = distPort;
        this.node = nodeName(port);
    }

    private static String nodeName(int port) {
        return "it" + port + "@localhost";
    }

    /** Starts a new node on free ports in a fresh temp directory and waits until it has booted. */
    public static RabbitMqServer start() {
        if (!Files.isExecutable(BIN.resolve("rabbitmq-server"))) {
            throw new IllegalStateException(BIN.resolve("rabbitmq-server") + " not found. Install RabbitMQ: "
                    + "apt-get install -y --no-install-recommends rabbitmq-server");
        }
        RabbitMqServer server = new RabbitMqServer(FreePorts.next(), FreePorts.next(), Processes.tempDir("it-rabbitmq-"));
        server.writeConfiguration();
        server.launch();
        return server;
    }

    public String host() {
        return "127.0.0.1";
    }

    public String username() {
        return "guest";
    }

    public String password() {
        return "guest";
    }

    /** The Erlang node name, {@code it<port>@localhost}. */
    public String node() {
        return node;
    }

    public Path dataDir() {
        return base();
    }

    /** A clean stop with {@code rabbitmqctl stop}; waits until the Erlang VM has exited. */
    @Override
    public synchronized void stop() {
        Process process = process();
        if (!isRunning()) {
            return;
        }
        try {
            // With the pid file, rabbitmqctl stop returns only once the OS process is gone.
            ctl("stop", pidFile().toString());
        } catch (RuntimeException e) {
            Processes.terminate(process, STOP_TIMEOUT);
            return;
        }
        if (!Processes.waitFor(process, STOP_TIMEOUT)) {
            Processes.kill(process);
            throw new IllegalStateException("RabbitMQ node " + node + " did not exit after rabbitmqctl stop and was killed");
        }
    }

    /**
     * Runs {@code rabbitmqctl -n NODE args...} against this node and returns its standard output,
     * e.g. {@code ctl("list_queues", "name", "messages")}. Fails with the output if the command fails.
     */
    public String ctl(String... args) {
        return cli("rabbitmqctl", args);
    }

    @Override
    public String toString() {
        return "RabbitMqServer[" + node + ", amqp://127.0.0.1:" + port() + ", " + base() + "]";
    }

    @Override
    protected void beforeLaunch() {
        try {
            // A pid file left by a killed node would make "wait" look at a dead process.
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected ProcessBuilder command() {
        ProcessBuilder builder = new ProcessBuilder(BIN.resolve("rabbitmq-server").toString()).directory(base().toFile());
        builder.environment().putAll(environment());
        return builder;
    }

    @Override
    protected Path outputLog() {
        return base().resolve("log/stdout.log");
    }

    @Override
    protected void awaitReady(Process launched, Duration timeout) {
        // "wait" exits when the node has booted, or fails when it cannot reach it within the timeout.
        Process waiter = Processes.start(cliBuilder("rabbitmq-diagnostics",
                "-q", "wait", pidFile().toString(), "--timeout", String.valueOf(timeout.toSeconds())));
        try {
            pollUntil(launched, timeout.plusSeconds(30), () -> !waiter.isAlive());
            if (waiter.exitValue() != 0) {
                throw new IllegalStateException("RabbitMQ node " + node + " did not boot: "
                        + new String(readAll(waiter)) + "\nLast lines of its log:\n" + logTail());
            }
        } catch (RuntimeException e) {
            Processes.kill(waiter);
            throw e;
        }
    }

    private String cli(String tool, String... args) {
        List<String> command = new ArrayList<>(List.of("-n", node));
        command.addAll(List.of(args));
        Path errors = base().resolve("log/cli-" + System.nanoTime() + ".err");
        ProcessBuilder builder = cliBuilder(tool, command.toArray(String[]::new))
                .redirectErrorStream(false)
                .redirectError(errors.toFile());
        Process cli = Processes.start(builder);
        try {
            // Read to the end before waiting: a full pipe would block the CLI.
            String output = new String(readAll(cli));
            if (!Processes.waitFor(cli, Duration.ofSeconds(120))) {
                Processes.kill(cli);
                throw new IllegalStateException(tool + " " + String.join(" ", command) + " did not finish within 120 s");
            }
            if (cli.exitValue() != 0) {
                throw new IllegalStateException(tool + " " + String.join(" ", command) + " failed with exit code "
                        + cli.exitValue() + ":\n" + output + Processes.tail(errors, 20));
            }
            return output;
        } finally {
            errors.toFile().delete();
        }
    }

    private ProcessBuilder cliBuilder(String tool, String... args) {
        List<String> command = new ArrayList<>();
        command.add(BIN.resolve(tool).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(base().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment());
        return builder;
    }

    private static byte[] readAll(Process process) {
        try {
            return process.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the server and every CLI call need to agree on which node, ports, HOME and files to use. */
    private Map<String, String> environment() {
        Path etc = base().resolve("etc");
        return Map.ofEntries(
                Map.entry("HOME", base().resolve("home").toString()),
                Map.entry("PATH", BIN + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin")),
                Map.entry("RABBITMQ_NODENAME", node),
                Map.entry("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"),
                Map.entry("RABBITMQ_NODE_PORT", String.valueOf(port())),
                Map.entry("RABBITMQ_DIST_PORT", String.valueOf(distPort)),
                // Keep Erlang distribution on loopback like everything else.
                Map.entry("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}"),
                Map.entry("RABBITMQ_BASE", base().toString()),
                Map.entry("RABBITMQ_MNESIA_BASE", base().resolve("mnesia").toString()),
                Map.entry("RABBITMQ_LOG_BASE", base().resolve("log").toString()),
                Map.entry("RABBITMQ_CONFIG_FILE", etc.resolve("rabbitmq.conf").toString()),
                Map.entry("RABBITMQ_ADVANCED_CONFIG_FILE", etc.resolve("advanced.config").toString()),
                Map.entry("RABBITMQ_CONF_ENV_FILE", etc.resolve("rabbitmq-env.conf").toString()),
                Map.entry("RABBITMQ_ENABLED_PLUGINS_FILE", etc.resolve("enabled_plugins").toString()),
                Map.entry("RABBITMQ_PID_FILE", pidFile().toString()));
    }

    private void writeConfiguration() {
        Path etc = base().resolve("etc");
        Processes.write(etc.resolve("rabbitmq.conf"), "loopback_users = none\n");
        Processes.write(etc.resolve("advanced.config"), "[].\n");
        Processes.write(etc.resolve("rabbitmq-env.conf"), "");
        Processes.write(etc.resolve("enabled_plugins"), "[].\n");
        try {
            Files.createDirectories(base().resolve("mnesia"));
            Files.createDirectories(base().resolve("log"));
            // Written before anything starts: otherwise the node and the first CLI call may each create
            // a different cookie and then fail to authenticate to one another.
            Path cookie = base().resolve("home/.erlang.cookie");
            byte[] secret = new byte[20];
            new SecureRandom().nextBytes(secret);
            Processes.write(cookie, HexFormat.of().formatHex(secret).toUpperCase());
            Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path pidFile() {
        return base().resolve("rabbit.pid");
    }

    @Override
    protected String logTail() {
        Path log = base().resolve("log/" + node + ".log");
        return Processes.tail(outputLog(), 20) + "\n" + Processes.tail(log, 40);
    }
}
