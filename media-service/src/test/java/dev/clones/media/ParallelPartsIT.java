package dev.clones.media;

import dev.clones.testing.ServiceProcess;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streamed uploads send several parts at once (media.files.parts-in-flight) from a bounded set of buffers:
 * the parts still make up the body in order, and a body that breaks off leaves nothing behind, not even the
 * parts that were in flight when it did.
 */
class ParallelPartsIT {

    static final int PART = 5 * 1024 * 1024;

    static MediaCluster cluster;
    static ServiceProcess media;

    @BeforeAll
    static void start() {
        cluster = MediaCluster.start();
        // Small parts, so a body of a few dozen MiB has many of them; a budget that lets one upload use
        // all four parts in flight and a fifth buffer to fill.
        media = cluster.media("media-parallel", Map.of(
                "MEDIA_FILES_PART_SIZE", "5M",
                "MEDIA_FILES_PARTS_IN_FLIGHT", "4",
                "MEDIA_FILES_PART_BUFFERS", "8",
                "MEDIA_FILES_CONCURRENT_UPLOADS", "2"), "128m");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aBodyOfManyPartsIsStoredWholeAndInOrder() throws Exception {
        String session = cluster.newSession();
        String userId = cluster.userId(session);
        long size = 11L * PART + 12_345; // 12 parts, the last a short one
        GeneratedBody body = new GeneratedBody(size, 11);

        HttpResponse<String> response = MediaCluster.postFile(media, session, "many-parts.bin",
                HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), size));

        assertEquals(201, response.statusCode(), response.body());
        String expected = body.sha256();
        assertEquals(expected, JsonPath.from(response.body()).getString("sha256"), "the service hashed the body in order");
        assertEquals(size, JsonPath.from(response.body()).getLong("size"));
        List<Path> stored = cluster.storedFilesOf(userId);
        assertEquals(1, stored.size());
        assertEquals(size, Files.size(stored.get(0)));
        // Parts listed out of order, or one missing, would give other bytes.
        assertEquals(expected, MediaCluster.sha256(stored.get(0)), "storage holds the parts in order");
        // A multipart object's ETag ends in the number of its parts.
        String etag = cluster.storage().headObject(h -> h.bucket(MediaCluster.BUCKET)
                .key("files/" + userId + "/" + JsonPath.from(response.body()).getString("id"))).eTag();
        assertTrue(etag.replace("\"", "").endsWith("-12"), "12 parts of 5 MiB: " + etag);
        assertEquals(List.of(), cluster.pendingMultipartUploads());
    }

    @Test
    void uploadsAtOnceShareTheBuffersAndAllArriveWhole() throws Exception {
        String session = cluster.newSession();
        long size = 6L * PART + 1;
        GeneratedBody first = new GeneratedBody(size, 21);
        GeneratedBody second = new GeneratedBody(size, 22);

        CompletableFuture<HttpResponse<String>> one = CompletableFuture.supplyAsync(() -> post(session, "one.bin", first, size));
        HttpResponse<String> other = post(session, "other.bin", second, size);

        assertEquals(201, other.statusCode(), other.body());
        assertEquals(201, one.join().statusCode(), one.join().body());
        assertEquals(second.sha256(), JsonPath.from(other.body()).getString("sha256"));
        assertEquals(first.sha256(), JsonPath.from(one.join().body()).getString("sha256"));
        given().spec(media.http()).auth().oauth2(session).get("/api/media/files").then().statusCode(200).body("", hasSize(2));
        assertEquals(List.of(), cluster.pendingMultipartUploads());
    }

    @Test
    void aBodyCutOffWhilePartsAreInFlightLeavesNoObjectNoPartsAndNoPendingUpload() throws Exception {
        String session = cluster.newSession();
        String userId = cluster.userId(session);
        long declared = 12L * PART;
        // Sends 7 parts' worth, holds the rest back until storage holds parts of the upload (so there is
        // something to clean up), then breaks the connection.
        InputStream cut = new CutOffBody(new GeneratedBody(declared, 31), 7L * PART, () -> !cluster.partsOfUnfinishedUploads().isEmpty());

        try {
            HttpResponse<String> response = MediaCluster.postFile(media, session, "cut.bin",
                    HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> cut), declared));
            throw new AssertionError("a request whose body broke off cannot have an answer: " + response.statusCode());
        } catch (IOException expected) {
            // The client gave up sending; the service sees a body that ends early.
        }

        // The service drops the key's reservation only after the abort returned (FileService), so once it is
        // gone, what storage holds is final.
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.redis.commandList("ZRANGE", "media:object-cleanup", "0", "-1")
                .stream().noneMatch(key -> key.contains(userId)));
        assertEquals(List.of(), cluster.pendingMultipartUploads(), "no multipart upload left pending");
        assertEquals(List.of(), cluster.storedFilesOf(userId), "no object");
        assertEquals(List.of(), cluster.partsOfUnfinishedUploads(), "no part file in the bucket");
        given().spec(media.http()).auth().oauth2(session).get("/api/media/files").then().statusCode(200).body("", hasSize(0));

        // Every buffer came back: uploads that need them all still go through.
        long size = 9L * PART;
        GeneratedBody after = new GeneratedBody(size, 32);
        HttpResponse<String> response = post(session, "after.bin", after, size);
        assertEquals(201, response.statusCode(), response.body());
        assertEquals(after.sha256(), JsonPath.from(response.body()).getString("sha256"));
    }

    private static HttpResponse<String> post(String session, String name, GeneratedBody body, long size) {
        try {
            return MediaCluster.postFile(media, session, name,
                    HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), size));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A body that stops after {@code cutAt} bytes, waits until {@code ready} holds, then fails as a broken client would. */
    private static final class CutOffBody extends InputStream {
        private final InputStream body;
        private final long cutAt;
        private final java.util.function.BooleanSupplier ready;
        private long sent;

        CutOffBody(InputStream body, long cutAt, java.util.function.BooleanSupplier ready) {
            this.body = body;
            this.cutAt = cutAt;
            this.ready = ready;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (sent >= cutAt) {
                await().atMost(Duration.ofSeconds(60)).until(ready::getAsBoolean);
                throw new IOException("the client went away");
            }
            int n = body.read(buffer, offset, (int) Math.min(length, cutAt - sent));
            if (n > 0) {
                sent += n;
            }
            return n;
        }
    }
}
