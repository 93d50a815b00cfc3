package dev.clones.media.service;

import dev.clones.common.error.ApiProblem;
import dev.clones.media.config.MediaConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The memory streaming uploads may use: two part-sized buffers per upload (one being uploaded, one being
 * filled), for a fixed number of uploads at once, reused. A replica's heap need is therefore bounded
 * (uploads x 2 x part size) however many clients upload at once; one more waits briefly and is then told to
 * retry (503), possibly on another replica.
 */
@ApplicationScoped
public class PartBuffers {

    private final int partSize;
    private final long waitMillis;
    private final Semaphore permits;
    private final BlockingQueue<byte[]> free;

    public PartBuffers(MediaConfig config) {
        long size = config.files().partSize().asLongValue();
        if (size < 5L * 1024 * 1024 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("media.files.part-size must be between 5 MiB (the S3 minimum) and 2 GiB, not " + size);
        }
        this.partSize = (int) size;
        this.waitMillis = config.files().bufferWait().toMillis();
        this.permits = new Semaphore(config.files().concurrentUploads());
        this.free = new ArrayBlockingQueue<>(2 * config.files().concurrentUploads());
    }

    public int partSize() {
        return partSize;
    }

    /** Two buffers for one upload; give them back with {@link #release}. */
    public Pair acquire() {
        try {
            if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw ApiProblem.unavailable("This replica is busy with other uploads; retry shortly.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.unavailable("Interrupted while waiting for an upload slot.");
        }
        return new Pair(take(), take());
    }

    public void release(Pair pair) {
        free.offer(pair.first());
        free.offer(pair.second());
        permits.release();
    }

    private byte[] take() {
        byte[] buffer = free.poll();
        return buffer != null ? buffer : new byte[partSize];
    }

    public record Pair(byte[] first, byte[] second) {
    }
}
