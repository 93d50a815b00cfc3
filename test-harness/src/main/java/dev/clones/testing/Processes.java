package dev.clones.testing;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Starts, tracks and ends the child processes of the harness, so that none outlives the test JVM.
 *
 * <p>Two safety nets: a shutdown hook kills every child still alive when the JVM exits normally, and
 * on Linux every child is started through {@code setpriv --pdeathsig KILL}, so the kernel kills it even
 * when the JVM itself is killed with SIGKILL (for example by a build timeout).
 */
public final class Processes {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DATA_DIRS = ConcurrentHashMap.newKeySet();
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    /*
     * The parent-death signal fires when the *thread* that spawned the child ends, not the process.
     * Spawning from one long-lived thread ties every child to the JVM's lifetime instead of to the test
     * thread that happened to start it. submit() (not execute()) keeps that thread alive when a spawn fails.
     */
    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "harness-spawner");
        thread.setDaemon(true);
        return thread;
    });

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Processes::killAll, "harness-reaper"));
    }

    private Processes() {
    }

    /** Starts the builder's command as a tracked child process. */
    public static Process start(ProcessBuilder builder) {
        List<String> command = builder.command();
        List<String> wrapped = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            wrapped.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        wrapped.addAll(command);
        builder.command(wrapped);
        Future<Process> spawned = SPAWNER.submit(builder::start);
        try {
            Process process = spawned.get();
            LIVE.add(process);
            process.onExit().thenRun(() -> LIVE.remove(process));
            return process;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot start " + String.join(" ", command) + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting " + command, e);
        } finally {
            builder.command(command);
        }
    }

    /** SIGTERM, then waits; falls back to SIGKILL after the grace period. Returns true if it ended on SIGTERM. */
    public static boolean terminate(Process process, Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (waitFor(process, grace)) {
            return true;
        }
        kill(process);
        return false;
    }

    /** SIGKILL to the process and all its descendants, then waits until it is gone. */
    public static void kill(Process process) {
        // Collect the descendants first: once the parent is dead they are re-parented and no longer found.
        List<ProcessHandle> family = descendants(process.toHandle());
        process.destroyForcibly();
        family.forEach(ProcessHandle::destroyForcibly);
        if (!waitFor(process, Duration.ofSeconds(30))) {
            throw new IllegalStateException("Process " + process.pid() + " still alive 30 s after SIGKILL");
        }
    }

    /** Waits at most {@code timeout} for the process to exit; true if it did. */
    public static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for process " + process.pid(), e);
        }
    }

    /**
     * Polls {@code ready} until it answers true. Fails with the log tail when the process exits first or
     * the timeout passes.
     */
    public static void await(String what, Process process, Duration timeout, Supplier<String> logTail, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with code " + process.exitValue()
                        + " before it was ready. Last lines of its log:\n" + logTail.get());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(what + " was not ready within " + timeout.toSeconds()
                        + " s. Last lines of its log:\n" + logTail.get());
            }
            sleep(Duration.ofMillis(50));
        }
    }

    /** The last {@code lines} lines of a text file, or a note saying why there are none. */
    public static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no file " + file + ")";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            // Logs can be large; the last 256 KiB hold far more than 40 lines.
            long start = Math.max(0, in.length() - 256 * 1024);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Looks the program up on PATH (and in /usr/sbin, /usr/bin); fails saying which Debian package provides it. */
    public static Path executable(String name, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/usr/bin";
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " not found on PATH. Install it: apt-get install -y " + debianPackage);
    }

    /** A fresh directory under the temp dir for one server's data; deleted at JVM exit if nobody did before. */
    public static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            DATA_DIRS.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a data directory, unless -Dharness.keepData=true asks to keep it for a post-mortem. */
    public static void deleteDataDir(Path dir) {
        DATA_DIRS.remove(dir);
        if (Boolean.getBoolean("harness.keepData") || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temp dir is not worth failing a test for.
        }
    }

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static List<ProcessHandle> descendants(ProcessHandle handle) {
        try (Stream<ProcessHandle> all = handle.descendants()) {
            return all.toList();
        }
    }

    private static void killAll() {
        List<Process> killed = new ArrayList<>();
        for (Process process : LIVE) {
            List<ProcessHandle> family = descendants(process.toHandle());
            process.destroyForcibly();
            family.forEach(ProcessHandle::destroyForcibly);
            killed.add(process);
        }
        // Deleting data under a process that is still dying would only race with it.
        killed.forEach(process -> waitFor(process, Duration.ofSeconds(5)));
        List.copyOf(DATA_DIRS).forEach(Processes::deleteDataDir);
    }
}
