package dev.clones.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A backing server run as a child process of the test JVM, on a port chosen free at start and with a directory of
 * its own: what {@link RedisServer}, {@link RabbitMqServer} and {@link S3Server} share. Each of them gives only its
 * command line and how it tells that the server is ready; the life cycle is here, the same for all.
 *
 * <p>Invariants: port and directory never change, so a {@link #restart()} finds its data again; the output of every
 * launch is appended to one file, so a failure shows the log of the launches before it too; a launch that does not
 * get ready leaves no process behind.
 */
public abstract class ChildProcessServer implements AutoCloseable {

    private final String name;
    private final int port;
    private final Path base;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private Process process;

    /**
     * @param name         how messages name this server, e.g. {@code Redis on port 6380}
     * @param base         the server's own directory, deleted by {@link #close()}
     * @param startTimeout how long a launch may take until the server is ready
     * @param stopTimeout  how long {@link #stop()} waits after SIGTERM before it kills
     */
    protected ChildProcessServer(String name, int port, Path base, Duration startTimeout, Duration stopTimeout) {
        this.name = name;
        this.port = port;
        this.base = base;
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
    }

    /** The port clients connect to. */
    public int port() {
        return port;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGTERM and wait until the process has exited, so that the port can be reused; fails if it had to be killed. */
    public synchronized void stop() {
        if (process != null && !Processes.terminate(process, stopTimeout)) {
            throw new IllegalStateException(name + " ignored SIGTERM for " + stopTimeout.toSeconds() + " s and was killed");
        }
    }

    /** SIGKILL and wait: a crash. */
    public synchronized void kill() {
        if (process != null) {
            Processes.kill(process);
        }
    }

    /** SIGSTOP: the process keeps its connections open and answers nothing, as a server stalled by its machine. */
    public synchronized void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(this.name + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server if it runs, then starts it again on the same port and directory. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Kills the server if it runs and deletes its directory. */
    @Override
    public synchronized void close() {
        kill();
        Processes.deleteDataDir(base);
    }

    /** The server's own directory. */
    protected final Path base() {
        return base;
    }

    protected final String name() {
        return name;
    }

    /** The process of the latest launch; null before the first. */
    protected final synchronized Process process() {
        return process;
    }

    /** Starts the server's process and returns once it is ready; kills it if it does not get ready. */
    protected final synchronized void launch() {
        beforeLaunch();
        ProcessBuilder builder = command()
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputLog().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        process = Processes.start(builder);
        try {
            awaitReady(process, startTimeout);
        } catch (RuntimeException e) {
            Processes.kill(process);
            throw e;
        }
    }

    /** The server's command line, working directory and environment; standard output and input are set here. */
    protected abstract ProcessBuilder command();

    /** The file that standard output and standard error of every launch are appended to. */
    protected abstract Path outputLog();

    /** The last lines of the server's logs, for the message of a launch that failed. */
    protected abstract String logTail();

    /** What has to be cleaned up before each launch, e.g. a pid file left by a killed process; nothing by default. */
    protected void beforeLaunch() {
    }

    /** Returns once the launched server is ready, or fails with its log; {@link #pollUntil} does it for most. */
    protected abstract void awaitReady(Process launched, Duration timeout);

    /** Polls {@code ready} until it answers true; fails with the log tail if the process exits first or time runs out. */
    protected final void pollUntil(Process launched, Duration timeout, BooleanSupplier ready) {
        Processes.await(name, launched, timeout, this::logTail, ready);
    }
}
