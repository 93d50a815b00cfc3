package dev.clones.media.storage;

import dev.clones.common.error.ApiProblem;
import dev.clones.media.config.MediaConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The memory streaming uploads may use: a fixed budget of part-sized buffers for the whole replica
 * ({@code media.files.part-buffers}), reused. Every upload in progress holds two of them for as long as it runs
 * (one being filled from the client, one being sent), so {@code concurrent-uploads} uploads always make progress;
 * the rest of the budget is lent to whichever upload can send more parts at once, at most
 * {@code parts-in-flight} each, and handed back as soon as one of those parts is stored and another upload waits.
 * A replica's heap need is therefore bounded by the budget (part-buffers x part-size) however many clients upload
 * and however large their bodies are; one upload more than {@code concurrent-uploads} waits briefly and is then
 * told to retry (503), possibly on another replica.
 */
@ApplicationScoped
public class PartBuffers {

    /** What every upload holds from start to end: one buffer filling while the previous part is sent. */
    static final int OWN = 2;

    private final int partSize;
    private final int partsInFlight;
    private final long waitMillis;
    private final Semaphore uploads;
    /** One permit per buffer of the budget; fair, so that a new upload waiting for its two is served before lenders grow. */
    private final Semaphore budget;
    private final Queue<byte[]> free = new ConcurrentLinkedQueue<>();

    public PartBuffers(MediaConfig config) {
        MediaConfig.Files files = config.files();
        long size = files.partSize().asLongValue();
        if (size < 5L * 1024 * 1024 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("media.files.part-size must be between 5 MiB (the S3 minimum) and 2 GiB, not " + size);
        }
        if (files.partsInFlight() < 1) {
            throw new IllegalArgumentException("media.files.parts-in-flight must be at least 1, not " + files.partsInFlight());
        }
        if (files.concurrentUploads() < 1 || files.partBuffers() < OWN * files.concurrentUploads()) {
            throw new IllegalArgumentException("media.files.part-buffers (" + files.partBuffers() + ") must be at least "
                    + OWN + " x media.files.concurrent-uploads (" + files.concurrentUploads() + "): every upload holds "
                    + OWN + " buffers");
        }
        this.partSize = (int) size;
        this.partsInFlight = files.partsInFlight();
        this.waitMillis = files.bufferWait().toMillis();
        this.uploads = new Semaphore(files.concurrentUploads());
        this.budget = new Semaphore(files.partBuffers(), true);
    }

    public int partSize() {
        return partSize;
    }

    /** Buffers free in the budget right now (for tests and metrics; changes at any moment). */
    public int available() {
        return budget.availablePermits();
    }

    /** Whether an upload waits for its own buffers now (for tests; changes at any moment). */
    boolean someoneWaits() {
        return budget.hasQueuedThreads();
    }

    /** An upload's share of the budget: its own two buffers, and more while free; close it once no part is in flight. */
    public Lease acquire() {
        try {
            if (!uploads.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw busy();
            }
            // Never waits long: the upload slots leave two buffers per upload, and lent buffers come back as soon
            // as their part is stored (Lease.done), which storage's transfer timeout bounds.
            if (!budget.tryAcquire(OWN, waitMillis, TimeUnit.MILLISECONDS)) {
                uploads.release();
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.unavailable("Interrupted while waiting for an upload slot.");
        }
        return new Lease();
    }

    private static ApiProblem busy() {
        return ApiProblem.unavailable("This replica is busy with other uploads; retry shortly.");
    }

    private byte[] allocate() {
        byte[] buffer = free.poll();
        return buffer != null ? buffer : new byte[partSize];
    }

    /**
     * The buffers of one upload. Used by the one thread that reads the body (the part uploads only read the
     * buffers they were given), so not thread-safe. Invariant: {@code held} permits of the budget are taken,
     * and {@code held} is between {@link #OWN} and parts-in-flight + 1.
     */
    public final class Lease implements ObjectStorage.PartMemory, AutoCloseable {

        private final ArrayDeque<byte[]> idle = new ArrayDeque<>();
        private int held = OWN;
        private boolean closed;

        private Lease() {
            for (int i = 0; i < OWN; i++) {
                idle.push(allocate());
            }
        }

        @Override
        public int partsInFlight() {
            return partsInFlight;
        }

        @Override
        public byte[] idle() {
            return idle.poll();
        }

        @Override
        public byte[] more() {
            // tryAcquire with a timeout, unlike tryAcquire(), respects fairness: a new upload waiting for its own
            // two buffers goes first.
            try {
                if (held > partsInFlight || !budget.tryAcquire(0, TimeUnit.MILLISECONDS)) {
                    return null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            held++;
            return allocate();
        }

        @Override
        public void done(byte[] buffer) {
            if (held > OWN && budget.hasQueuedThreads()) {
                // Another upload waits for its own buffers: a lent one goes back at once.
                held--;
                free.offer(buffer);
                budget.release();
            } else {
                idle.push(buffer);
            }
        }

        /** Gives every buffer back. Only once no part is in flight: a part still being sent reads its buffer. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            idle.forEach(free::offer);
            idle.clear();
            budget.release(held);
            uploads.release();
        }
    }
}
