package dev.clones.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A packaged Quarkus service ({@code quarkus-run.jar}) running as its own JVM on a free loopback port.
 *
 * <pre>{@code
 * try (ServiceProcess auth = ServiceProcess.builder().name("auth-a")
 *         .env("QUARKUS_REDIS_HOSTS", redis.uri()).start()) {
 *     auth.http().get("/api/auth/me").then().statusCode(401);
 * }
 * }</pre>
 *
 * <p>Its output goes to {@code target/it-logs/<name>.log}, appended across restarts.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int LOG_LINES_ON_FAILURE = 40;

    private final String name;
    private final Path jar;
    private final String heap;
    private final List<String> jvmArgs;
    private final Map<String, String> env;
    private final int port;
    private final Duration readyTimeout;
    private final Path log;
    private Process process;
    private long startedNanos;
    private Duration startToReady;

    private ServiceProcess(Builder builder) {
        this.name = Objects.requireNonNull(builder.name, "name");
        this.jar = builder.jar != null ? builder.jar : defaultJar();
        this.heap = builder.heap;
        this.jvmArgs = List.copyOf(builder.jvmArgs);
        this.port = builder.port != 0 ? builder.port : FreePorts.next();
        this.readyTimeout = builder.readyTimeout;
        this.log = logDir().resolve(name + ".log");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("CLONES_REPLICA_ID", name);
        env.putAll(builder.env);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        this.env = Map.copyOf(env);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path logFile() {
        return log;
    }

    public synchronized long pid() {
        return process.pid();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** A fresh rest-assured request aimed at this replica; nothing (cookies included) carries over between calls. */
    public RequestSpecification http() {
        return RestAssured.given().baseUri("http://127.0.0.1").port(port);
    }

    /** True when {@code /q/health/ready} answers 200 right now. */
    public boolean isReady() {
        return answers200("/q/health/ready");
    }

    /** True when {@code /q/health/live} answers 200 right now. */
    public boolean isLive() {
        return answers200("/q/health/live");
    }

    /** Waits (up to the ready timeout, 60 s by default) until {@code /q/health/ready} answers 200. */
    public void awaitReady() {
        awaitReady(readyTimeout);
    }

    public void awaitReady(Duration timeout) {
        Process current = current();
        Processes.await(name + " (readiness)", current, timeout, this::logTail, this::isReady);
        synchronized (this) {
            if (startToReady == null && current == process) {
                startToReady = Duration.ofNanos(System.nanoTime() - startedNanos);
            }
        }
    }

    /** Waits until {@code /q/health/live} answers 200: the JVM serves HTTP even if its backends are down. */
    public void awaitLive() {
        awaitLive(readyTimeout);
    }

    public void awaitLive(Duration timeout) {
        Processes.await(name + " (liveness)", current(), timeout, this::logTail, this::isLive);
    }

    /** Time from the launch of the current process to the first 200 on readiness seen by {@link #awaitReady()}. */
    public synchronized Duration startToReady() {
        if (startToReady == null) {
            throw new IllegalStateException(name + " has not been seen ready since it was last started");
        }
        return startToReady;
    }

    /** SIGKILL: a crash. Returns once the process is gone. */
    public synchronized void kill() {
        if (process != null) {
            Processes.kill(process);
        }
    }

    /** SIGTERM: a graceful shutdown. Returns once the process has exited; fails if it needed SIGKILL after 60 s. */
    public synchronized void terminate() {
        if (process != null && !Processes.terminate(process, Duration.ofSeconds(60))) {
            throw new IllegalStateException(name + " ignored SIGTERM for 60 s and was killed:\n" + logTail());
        }
    }

    /** Terminates the process if it runs, then starts it again with the same port and environment, and waits until ready. */
    public void restart() {
        restartWithoutWaitingForReady();
        awaitReadyOrKill();
    }

    public synchronized void restartWithoutWaitingForReady() {
        terminate();
        launch();
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            Processes.terminate(process, Duration.ofSeconds(10));
        }
    }

    @Override
    public String toString() {
        return "ServiceProcess[" + name + ", " + baseUrl() + ", " + jar + "]";
    }

    private synchronized Process current() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process;
    }

    private synchronized void launch() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        appendToLog("%n===== %s: starting %s on port %d: %s%n".formatted(Instant.now(), name, port, String.join(" ", command)));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(log.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(env);
        startToReady = null;
        startedNanos = System.nanoTime();
        process = Processes.start(builder);
    }

    private void awaitReadyOrKill() {
        try {
            awaitReady();
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
    }

    private boolean answers200(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private String logTail() {
        return Processes.tail(log, LOG_LINES_ON_FAILURE);
    }

    private void appendToLog(String text) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path defaultJar() {
        String jar = System.getProperty("app.jar");
        if (jar == null || jar.isBlank()) {
            throw new IllegalStateException("No jar given and no -Dapp.jar system property (failsafe sets it to target/quarkus-app/quarkus-run.jar)");
        }
        return Path.of(jar);
    }

    private static Path logDir() {
        String configured = System.getProperty("it.logs.dir");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.dir"), "target", "it-logs");
    }

    /** Collects what to launch; {@link #start()} returns once the service is ready. */
    public static final class Builder {
        private String name;
        private Path jar;
        private String heap = "256m";
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private int port;
        private Duration readyTimeout = Duration.ofSeconds(180);

        private Builder() {
        }

        /** Names the log file and, unless set explicitly, CLONES_REPLICA_ID. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Defaults to the system property {@code app.jar}. */
        public Builder jar(Path jar) {
            this.jar = jar;
            return this;
        }

        public Builder jar(String jar) {
            return jar(Path.of(jar));
        }

        /** The -Xmx value, e.g. {@code "128m"}; 256m by default. */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        /** Extra JVM options, e.g. {@code -Dquarkus.log.level=DEBUG}. */
        public Builder jvmArgs(String... args) {
            jvmArgs.addAll(List.of(args));
            return this;
        }

        /** A fixed HTTP port instead of a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** How long {@link #start()}, {@link #restart()} and {@link #awaitReady()} wait; 60 s by default. */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /** Launches the service and waits until {@code /q/health/ready} answers 200; kills it if it never does. */
        public ServiceProcess start() {
            ServiceProcess service = startWithoutWaitingForReady();
            service.awaitReadyOrKill();
            return service;
        }

        /** Launches the service and returns at once, e.g. when its backends are down on purpose. */
        public ServiceProcess startWithoutWaitingForReady() {
            ServiceProcess service = new ServiceProcess(this);
            service.launch();
            return service;
        }
    }
}
