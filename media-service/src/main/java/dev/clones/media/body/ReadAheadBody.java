package dev.clones.media.body;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A request body as a blocking stream that reads ahead up to {@code readAhead} bytes. The stream Quarkus REST
 * hands a blocking method fetches one network chunk at a time: the worker takes a chunk, asks the event loop
 * for the next ({@code fetch(1)}, a wake-up of the event loop) and waits to be notified, so every chunk of
 * a few KiB costs two thread hand-offs and the connection stands still in between; on the upload benchmark
 * that was the largest cost left. Here the event loop keeps queuing chunks while the worker copies them out,
 * and the request is paused (TCP back-pressure on the client) only while {@code readAhead} bytes wait,
 * resumed once half of them were read. Memory: at most {@code readAhead} plus one chunk per upload.
 *
 * <p>Read by one worker thread; the event loop only adds chunks and end or failure. Reads wait at most
 * {@code timeout} for data, then fail as a broken-off body does.
 */
public final class ReadAheadBody extends InputStream {

    private final HttpServerRequest request;
    private final long readAhead;
    private final long timeoutMillis;
    private final ArrayDeque<Buffer> chunks = new ArrayDeque<>();
    /** Bytes in {@code chunks} not yet read; guarded by {@code this}, like everything below. */
    private long queued;
    /** Read position in the first chunk. */
    private int position;
    private boolean paused;
    private boolean ended;
    private Throwable failure;
    /** The reader gave up before the end of the body (an answer came first): what arrives is dropped. */
    private boolean abandoned;

    public ReadAheadBody(HttpServerRequest request, long readAhead, Duration timeout) {
        this.request = request;
        this.readAhead = readAhead;
        this.timeoutMillis = timeout.toMillis();
        // The request arrives paused (nothing of the body has been delivered yet); handlers first, then resume.
        synchronized (request.connection()) {
            if (request.isEnded()) {
                ended = true;
            } else {
                request.pause();
                request.handler(this::arrived);
                request.endHandler(ignored -> ended());
                request.exceptionHandler(this::failed);
                request.resume();
            }
        }
    }

    private synchronized void arrived(Buffer chunk) {
        if (failure != null || abandoned) {
            return;
        }
        chunks.add(chunk);
        queued += chunk.length();
        if (queued >= readAhead && !paused) {
            paused = true;
            request.pause();
        }
        notifyAll();
    }

    private synchronized void ended() {
        ended = true;
        notifyAll();
    }

    private synchronized void failed(Throwable cause) {
        failure = cause;
        chunks.clear();
        queued = 0;
        notifyAll();
    }

    /**
     * The reader is done with the body, at its end or not. Not at its end (an error answered first, such as
     * a 413 for a body announced over the limit), the rest is dropped as it arrives and the request is never
     * paused again: Vert.x closes a connection only once its request has ended, and a paused request never
     * ends, so a client that sends its whole body before it reads the answer would wait forever (a test
     * once hung that way, when this stream paused the request after the answer was given).
     */
    @Override
    public void close() {
        boolean resume;
        synchronized (this) {
            if (abandoned || ended) {
                return;
            }
            abandoned = true;
            chunks.clear();
            queued = 0;
            resume = paused;
            paused = false;
        }
        if (resume) {
            request.resume(); // outside the lock, as in read()
        }
    }

    @Override
    public int read() throws IOException {
        return SingleByteRead.of(this);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int copied = 0;
        boolean resume = false;
        synchronized (this) {
            awaitData();
            if (chunks.isEmpty()) {
                return -1;
            }
            // Everything queued that fits: one lock and one wake-up for many chunks.
            while (copied < length && !chunks.isEmpty()) {
                Buffer first = chunks.peek();
                int n = Math.min(length - copied, first.length() - position);
                first.getBytes(position, position + n, buffer, offset + copied);
                copied += n;
                position += n;
                if (position == first.length()) {
                    chunks.poll();
                    position = 0;
                }
            }
            queued -= copied;
            if (paused && queued <= readAhead / 2) {
                paused = false;
                resume = true;
            }
        }
        if (resume) {
            request.resume(); // outside the lock: it hands over to the event loop, which takes the lock in arrived()
        }
        return copied;
    }

    /** Waits until a chunk is queued, the body ended, or it failed (then throws). Holds the lock. */
    private void awaitData() throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (chunks.isEmpty() && !ended && failure == null) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                request.connection().close();
                throw new IOException("No data of the request body for " + timeoutMillis + " ms");
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while reading the request body");
            }
        }
        if (failure != null) {
            throw failure instanceof ClosedChannelException closed ? closed : new IOException(failure.getMessage(), failure);
        }
    }

    @Override
    public synchronized int available() {
        return (int) Math.min(Integer.MAX_VALUE, queued);
    }
}
