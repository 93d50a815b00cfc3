package dev.clones.media.storage;

import dev.clones.common.error.ApiProblem;
import dev.clones.media.config.MediaConfig;
import io.quarkus.runtime.configuration.MemorySize;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartBuffersTest {

    static final int MIB = 1024 * 1024;

    @Test
    void aLoneUploadGrowsToPartsInFlightPlusOneAndGivesEverythingBack() {
        PartBuffers buffers = new PartBuffers(config(4, 8, 2, Duration.ofSeconds(5)));
        List<byte[]> taken = new ArrayList<>();
        try (PartBuffers.Lease lease = buffers.acquire()) {
            taken.add(lease.idle());
            taken.add(lease.idle());
            assertNull(lease.idle(), "two of its own");
            for (byte[] more; (more = lease.more()) != null; ) {
                taken.add(more);
            }
            assertEquals(5, taken.size(), "four parts in flight and one filling, though the budget has eight");
            assertEquals(3, buffers.available());
            taken.forEach(buffer -> assertEquals(5 * MIB, buffer.length));
            taken.forEach(lease::done);
        }
        assertEquals(8, buffers.available());
    }

    @Test
    void aLentBufferGoesBackAtOnceWhenAnotherUploadWaitsForItsOwn() {
        // Two uploads at once, four buffers: the first has borrowed the two the second needs.
        PartBuffers buffers = new PartBuffers(config(4, 4, 2, Duration.ofMinutes(1)));
        PartBuffers.Lease first = buffers.acquire();
        byte[] lentA = first.more();
        byte[] lentB = first.more();
        assertNotNull(lentA);
        assertNotNull(lentB);
        assertEquals(0, buffers.available());

        CompletableFuture<PartBuffers.Lease> second = CompletableFuture.supplyAsync(buffers::acquire);
        await().atMost(Duration.ofSeconds(30)).until(buffers::someoneWaits);
        assertFalse(second.isDone());
        first.done(lentA);
        first.done(lentB);
        PartBuffers.Lease secondLease = second.join();
        assertNotNull(secondLease.idle());
        assertNotNull(secondLease.idle());
        assertNull(first.more(), "nothing left to lend");

        secondLease.close();
        first.close();
        assertEquals(4, buffers.available());
    }

    @Test
    void withOnePartInFlightAnUploadNeverHoldsMoreThanTwo() {
        PartBuffers buffers = new PartBuffers(config(1, 8, 2, Duration.ofSeconds(5)));
        try (PartBuffers.Lease lease = buffers.acquire()) {
            assertNull(lease.more());
        }
    }

    @Test
    void oneUploadMoreThanAllowedIs503() {
        PartBuffers buffers = new PartBuffers(config(4, 4, 2, Duration.ofMillis(10)));
        try (PartBuffers.Lease one = buffers.acquire(); PartBuffers.Lease two = buffers.acquire()) {
            ApiProblem problem = assertThrows(ApiProblem.class, buffers::acquire);
            assertEquals(503, problem.status());
        }
        buffers.acquire().close();
    }

    @Test
    void aBudgetBelowTwoBuffersPerUploadIsRefusedAtStartUp() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new PartBuffers(config(4, 7, 4, Duration.ofSeconds(1))));
        assertTrue(refused.getMessage().contains("media.files.part-buffers"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PartBuffers(config(0, 8, 2, Duration.ofSeconds(1))));
    }

    private static MediaConfig config(int partsInFlight, int partBuffers, int concurrentUploads, Duration bufferWait) {
        MediaConfig.Files files = new MediaConfig.Files() {
            public MemorySize maxSize() { return new MemorySize(java.math.BigInteger.valueOf(100L * MIB)); }
            public MemorySize partSize() { return new MemorySize(java.math.BigInteger.valueOf(5L * MIB)); }
            public int partsInFlight() { return partsInFlight; }
            public int partBuffers() { return partBuffers; }
            public MemorySize readAhead() { return new MemorySize(java.math.BigInteger.valueOf(MIB)); }
            public int concurrentUploads() { return concurrentUploads; }
            public Duration bufferWait() { return bufferWait; }
            public Duration downloadUrlTtl() { return Duration.ofMinutes(15); }
            public int maxFilesPerUser() { return 1000; }
            public MemorySize maxBytesPerUser() { return new MemorySize(java.math.BigInteger.valueOf(1024L * MIB)); }
        };
        return new MediaConfig() {
            public S3 s3() { throw new UnsupportedOperationException(); }
            public Avatar avatar() { throw new UnsupportedOperationException(); }
            public Files files() { return files; }
            public Uploads uploads() { throw new UnsupportedOperationException(); }
        };
    }
}
