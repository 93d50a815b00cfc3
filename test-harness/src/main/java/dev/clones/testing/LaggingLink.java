package dev.clones.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A slow network between a client and a server: a TCP relay on a free loopback port that hands
 * every byte on, in order, a fixed delay after it arrived, in both directions. Lets a test hold a
 * replica's view of Redis behind everyone else's, which is when a cross-replica guarantee that
 * merely usually holds would break.
 */
public final class LaggingLink implements AutoCloseable {

    private record Chunk(long dueNanos, byte[] bytes) {
        static final Chunk END = new Chunk(0, new byte[0]);
    }

    private final ServerSocket server;
    private final int targetPort;
    private final long delayNanos;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private LaggingLink(int targetPort, Duration delay) {
        this.targetPort = targetPort;
        this.delayNanos = delay.toNanos();
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.next()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("lagging-link-accept-" + port()).start(this::accept);
    }

    /** Relays loopback connections to {@code targetPort}, each byte {@code delay} late each way. */
    public static LaggingLink to(int targetPort, Duration delay) {
        return new LaggingLink(targetPort, delay);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code redis://127.0.0.1:PORT} of this link, for a client that should reach Redis through it. */
    public String redisUri() {
        return "redis://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        closeQuietly(server);
        sockets.forEach(LaggingLink::closeQuietly);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(target);
                relay(client, target);
                relay(target, client);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    closeQuietly(server);
                }
            }
        }
    }

    /** One direction: a reader stamps what arrives, a writer passes it on once it is due. */
    private void relay(Socket from, Socket to) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException ignored) {
                // closed: the writer ends the other side
            }
            queue.add(Chunk.END);
        });
        Thread.ofVirtual().start(() -> {
            try (OutputStream out = to.getOutputStream()) {
                for (Chunk chunk; (chunk = queue.take()) != Chunk.END; ) {
                    long wait = chunk.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException ignored) {
                // one side went away
            }
            closeQuietly(from);
            closeQuietly(to);
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
