package dev.clones.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * S3-compatible object storage: S3Proxy 4.1.0 on the jclouds filesystem store, in its own JVM.
 *
 * <p>The store keeps one directory per bucket under {@link #dataDir()} and one file per object, so a
 * test can look at the disk to check that nothing was left behind.
 */
public final class S3Server extends ChildProcessServer {

    private static final String VERSION = "4.1.0";
    private static final String ARTIFACT = "org.gaul:s3proxy:" + VERSION + ":jar:jar-with-dependencies";
    private static final String ACCESS_KEY = "test-access-key";
    private static final String SECRET_KEY = "test-secret-key";
    /** A JVM boot on a crowded machine: generous. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** The JVM exits 1-2 s after SIGTERM. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path jar;

    private S3Server(int port, Path base, Path jar) {
        super("S3Proxy on port " + port, port, base, START_TIMEOUT, STOP_TIMEOUT);
        this.jar = jar;
    }

    /** Starts S3Proxy on a free port with an empty store and waits until it answers HTTP. */
    public static S3Server start() {
        S3Server server = new S3Server(FreePorts.next(), Processes.tempDir("it-s3-"), locateJar());
        server.writeConfiguration();
        server.launch();
        return server;
    }

    /** {@code http://127.0.0.1:PORT}; use path-style access with the AWS SDK. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /** The filesystem store: one directory per bucket, one file per object. */
    public Path dataDir() {
        return base().resolve("data");
    }

    @Override
    public String toString() {
        return "S3Server[" + endpoint() + ", " + dataDir() + "]";
    }

    private void writeConfiguration() {
        try {
            Files.createDirectories(dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Processes.write(base().resolve("s3proxy.conf"), String.join("\n",
                "s3proxy.endpoint=" + endpoint(),
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.identity=" + ACCESS_KEY,
                "jclouds.credential=" + SECRET_KEY,
                "jclouds.filesystem.basedir=" + dataDir(),
                ""));
    }

    @Override
    protected ProcessBuilder command() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(
                java.toString(),
                // Small heap, serial GC and C1 only: boots ~30% faster on two cores shared with builds
                // and services, and test traffic never needs C2's peak speed.
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(),
                "--properties", base().resolve("s3proxy.conf").toString())
                .directory(base().toFile());
    }

    @Override
    protected Path outputLog() {
        return base().resolve("s3proxy.log");
    }

    @Override
    protected String logTail() {
        return Processes.tail(outputLog(), 40);
    }

    @Override
    protected void awaitReady(Process launched, Duration timeout) {
        pollUntil(launched, timeout, this::answersHttp);
    }

    private boolean answersHttp() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/")).timeout(Duration.ofSeconds(2)).GET().build();
            HTTP.send(request, HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    // --- locating the S3Proxy jar -------------------------------------------------------------

    private static synchronized Path locateJar() {
        Path jar = localRepository().resolve("org/gaul/s3proxy/" + VERSION + "/s3proxy-" + VERSION + "-jar-with-dependencies.jar");
        if (!Files.isRegularFile(jar)) {
            fetch();
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar still missing at " + jar + " after fetching " + ARTIFACT);
        }
        return jar;
    }

    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static void fetch() {
        Path root = projectRoot();
        List<String> command = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-q", "-B",
                "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:get", "-Dartifact=" + ARTIFACT));
        if (System.getProperty("maven.repo.local") != null) {
            command.add("-Dmaven.repo.local=" + System.getProperty("maven.repo.local"));
        }
        Path log = Processes.tempDir("it-s3proxy-fetch-").resolve("mvnw.log");
        Process mvn = Processes.start(new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())));
        if (!Processes.waitFor(mvn, Duration.ofMinutes(10))) {
            Processes.kill(mvn);
            throw new IllegalStateException("Fetching " + ARTIFACT + " took more than 10 minutes:\n" + Processes.tail(log, 40));
        }
        if (mvn.exitValue() != 0) {
            throw new IllegalStateException("Cannot fetch " + ARTIFACT + " (" + String.join(" ", command) + "):\n" + Processes.tail(log, 40));
        }
        Processes.deleteDataDir(log.getParent());
    }

    /** The -Dproject.root system property (failsafe sets it), else the nearest directory up that has mvnw. */
    private static Path projectRoot() {
        String configured = System.getProperty("project.root");
        if (configured != null && Files.isExecutable(Path.of(configured, "mvnw"))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the project's mvnw to fetch " + ARTIFACT
                + ": set -Dproject.root or fetch it by hand with mvn dependency:get -Dartifact=" + ARTIFACT);
    }
}
