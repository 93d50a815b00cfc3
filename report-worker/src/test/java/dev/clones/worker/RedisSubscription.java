package dev.clones.worker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A plain RESP client subscribed to one Redis pub/sub channel, collecting its messages for assertions. */
final class RedisSubscription implements AutoCloseable {

    private final Socket socket;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final Thread reader;

    private RedisSubscription(Socket socket) {
        this.socket = socket;
        this.reader = new Thread(this::readLoop, "redis-subscription");
        this.reader.setDaemon(true);
    }

    static RedisSubscription subscribe(int port, String channel) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            OutputStream out = socket.getOutputStream();
            out.write(("*2\r\n$9\r\nSUBSCRIBE\r\n$" + channel.getBytes(StandardCharsets.UTF_8).length + "\r\n" + channel + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            read(in); // the subscribe confirmation: from now on every message is seen
            RedisSubscription subscription = new RedisSubscription(socket);
            subscription.in = in;
            subscription.reader.start();
            return subscription;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot subscribe to " + channel, e);
        }
    }

    private InputStream in;

    /** The next message published on the channel, or a failure after {@code timeout}. */
    String next(Duration timeout) {
        try {
            String message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("No message on the channel within " + timeout);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a message containing {@code fragment}, skipping others. */
    String awaitMessageContaining(String fragment, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("No message containing " + fragment + " within " + timeout);
            }
            String message = next(Duration.ofNanos(left));
            if (message.contains(fragment)) {
                return message;
            }
        }
    }

    /** Every message received so far and not yet taken. */
    List<String> drain() {
        List<String> all = new ArrayList<>();
        messages.drainTo(all);
        return all;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void readLoop() {
        try {
            while (!socket.isClosed()) {
                Object reply = read(in);
                if (reply instanceof List<?> parts && parts.size() == 3 && "message".equals(parts.get(0))) {
                    messages.add((String) parts.get(2));
                }
            }
        } catch (IOException e) {
            // socket closed
        }
    }

    private static Object read(InputStream in) throws IOException {
        String line = line(in);
        char type = line.charAt(0);
        String rest = line.substring(1);
        return switch (type) {
            case '+', '-', ':' -> rest;
            case '$' -> {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    yield null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                yield new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(rest);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                yield items;
            }
            default -> throw new IOException("Unexpected RESP line " + line);
        };
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = out.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            out.write(b);
            previous = b;
        }
    }
}
