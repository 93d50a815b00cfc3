package dev.clones.media;

import dev.clones.testing.RawHttp;
import dev.clones.testing.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.clones.testing.ProblemJson.problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What media-service refuses, and that a refusal leaves nothing behind. Small limits are configured so that
 * the streaming limit is passed in the middle of a multipart upload (5 MiB parts, 7 MiB per file).
 */
class UploadLimitsIT {

    static final int FILE_LIMIT = 7 * 1024 * 1024;
    static final int AVATAR_LIMIT = 1024 * 1024;

    static MediaCluster cluster;
    static ServiceProcess media;

    @BeforeAll
    static void start() {
        cluster = MediaCluster.start();
        media = cluster.media("media-limits", Map.of(
                "MEDIA_FILES_MAX_SIZE", "7M",
                "MEDIA_FILES_PART_SIZE", "5M",
                "MEDIA_AVATAR_MAX_SIZE", "1M"));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void jsonEndpointsRefuseALargeBodyFromItsLengthAloneBeforeAuthentication() {
        // The service-wide Quarkus limit is raised for the uploads; only they may take large bodies.
        for (String path : List.of("/api/reports", "/api/media/uploads")) {
            RawHttp.Answer answer = RawHttp.exchange(null, media.port(), "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + 50_000_000, new byte[0]);
            assertEquals(413, answer.status(), path);
            assertTrue(answer.closedAfter(), path + ": the connection ends, so the rest of the body is never read");
        }
    }

    @Test
    void textSentAsAnImageIs415() {
        String session = cluster.newSession();
        problem(given().spec(media.http()).auth().oauth2(session).contentType("image/png")
                .body("this is plain text, not a PNG at all".getBytes()).put("/api/media/avatar").then(), 415)
                .body("detail", containsString("PNG, JPEG, WebP or GIF"));
        // A PNG signature cut short is no image either.
        problem(given().spec(media.http()).auth().oauth2(session).contentType("image/png")
                .body(new byte[] {(byte) 0x89, 'P', 'N'}).put("/api/media/avatar").then(), 415);
        given().spec(media.http()).get("/api/media/avatar/" + cluster.userId(session)).then().statusCode(404);
    }

    @Test
    void avatarOverTheLimitIs413AndChangesNothing() throws Exception {
        String session = cluster.newSession();
        String userId = cluster.userId(session);
        // Announced too large: refused before a byte is read.
        problem(given().spec(media.http()).auth().oauth2(session).contentType("image/png")
                .body(Images.png(AVATAR_LIMIT)).put("/api/media/avatar").then(), 413);
        // Not announced (chunked): refused once the limit is passed.
        assertEquals(413, chunked("/api/media/avatar", session, Map.of(), new ByteArrayInputStream(Images.png(AVATAR_LIMIT))).statusCode());
        given().spec(media.http()).get("/api/media/avatar/" + userId).then().statusCode(404);
        // Just under the limit is fine.
        given().spec(media.http()).auth().oauth2(session).contentType("image/png")
                .body(Images.png(AVATAR_LIMIT - 1000)).put("/api/media/avatar").then().statusCode(200);
    }

    @Test
    void fileAnnouncedOverTheLimitIs413AndNothingIsStored() {
        String session = cluster.newSession();
        String userId = cluster.userId(session);
        problem(given().spec(media.http()).auth().oauth2(session).header("X-File-Name", "big.bin")
                .contentType("application/octet-stream").body(MediaCluster.randomBytes(FILE_LIMIT + 1))
                .post("/api/media/files").then(), 413)
                .body("detail", containsString(Integer.toString(FILE_LIMIT)));
        assertNothingStoredFor(userId, session);
    }

    /**
     * A client that sends its whole body before it reads the answer (HTTP/1.1 without Expect: 100-continue)
     * can send it all and then reads the 413: the service drops the rest instead of leaving the request
     * paused, which once left such a client blocked in its write for good. Four times the limit, so the rest
     * is far more than the socket buffers and the read-ahead hold.
     */
    @Test
    void aClientThatSendsTheWholeBodyBeforeReadingGetsThe413AndTheConnectionEnds() throws Exception {
        String session = cluster.newSession();
        int size = 4 * FILE_LIMIT;
        try (Socket socket = new Socket("127.0.0.1", media.port())) {
            socket.setSoTimeout(60_000); // a hang fails the read below instead of holding the build
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/media/files HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + session
                    + "\r\nX-File-Name: big.bin\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
            // The answer's head; the client ends the connection, as its Connection: close asks.
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            List<String> head = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.add(line.toLowerCase(Locale.ROOT));
            }
            assertTrue(!head.isEmpty() && head.getFirst().startsWith("http/1.1 413"), head.toString());
            assertTrue(head.contains("connection: close"), head.toString());
        }
    }

    @Test
    void fileStreamedPastTheLimitIs413AndLeavesNoObjectPartsOrRecord() throws Exception {
        String session = cluster.newSession();
        String userId = cluster.userId(session);
        List<String> recordsBefore = cluster.redis.commandList("KEYS", "media:file:*");
        // Chunked, so the service only learns the size by reading: one 5 MiB part is stored before the
        // limit is passed, and must be aborted.
        HttpResponse<String> response = chunked("/api/media/files", session, Map.of("X-File-Name", "big.bin"),
                new GeneratedBody(FILE_LIMIT + 64 * 1024, 7));
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        // The rest of the body is never read, so the connection cannot carry another request.
        assertEquals("close", response.headers().firstValue("Connection").orElse(""));
        assertNothingStoredFor(userId, session);
        assertEquals(recordsBefore, cluster.redis.commandList("KEYS", "media:file:*"));

        // The same replica takes the next upload as if nothing happened; exactly the limit is accepted.
        given().spec(media.http()).auth().oauth2(session).header("X-File-Name", "fits.bin")
                .contentType("application/octet-stream").body(MediaCluster.randomBytes(FILE_LIMIT))
                .post("/api/media/files").then().statusCode(201).body("size", equalTo(FILE_LIMIT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..%2F..%2Fetc%2Fpasswd", "../x", "a/b", "a%5Cb", "..", ".", "%00evil", "line%0Abreak",
            "tab%09name", "%E2%80%AEfdp.exe", "%", "%zz", "%C3%28", " "})
    void unsafeFileNamesAre400(String name) {
        String session = cluster.newSession();
        problem(given().spec(media.http()).auth().oauth2(session).header("X-File-Name", name)
                .contentType("text/plain").body("x".getBytes()).post("/api/media/files").then(), 400);
        given().spec(media.http()).auth().oauth2(session).get("/api/media/files").then().body("", hasSize(0));
    }

    @Test
    void missingAndOverlongFileNamesAre400() {
        String session = cluster.newSession();
        problem(given().spec(media.http()).auth().oauth2(session).contentType("text/plain").body("x".getBytes())
                .post("/api/media/files").then(), 400).body("detail", containsString("X-File-Name"));
        problem(given().spec(media.http()).auth().oauth2(session).header("X-File-Name", "é".repeat(128) + ".txt")
                .contentType("text/plain").body("x".getBytes()).post("/api/media/files").then(), 400)
                .body("detail", containsString("255"));
        given().spec(media.http()).auth().oauth2(session).header("X-File-Name", "%C3%A9".repeat(120) + ".txt")
                .contentType("text/plain").body("x".getBytes()).post("/api/media/files").then().statusCode(201);
    }

    @Test
    void directUploadsAreCheckedLikeStreamedOnes() {
        String session = cluster.newSession();
        problem(startUpload(session, Map.of("name", "../../x", "contentType", "text/plain", "size", 10)), 400);
        problem(startUpload(session, Map.of("name", "ok.txt", "contentType", "not a type", "size", 10)), 400);
        problem(startUpload(session, Map.of("name", "ok.txt", "contentType", "text/plain", "size", -1)), 400);
        problem(startUpload(session, Map.of("name", "ok.txt", "contentType", "text/plain")), 400).body("detail", containsString("size"));
        problem(startUpload(session, Map.of("name", "ok.txt", "contentType", "text/plain", "size", FILE_LIMIT + 1)), 413);
        // A JSON body over common's 64 KiB limit for bodies that are not streamed.
        problem(startUpload(session, Map.of("name", "x".repeat(70_000), "contentType", "text/plain", "size", 1)), 413);
        problem(given().spec(media.http()).auth().oauth2(session).post("/api/media/uploads/" + java.util.UUID.randomUUID() + "/complete").then(), 404);
    }

    private static ValidatableResponse startUpload(String session, Map<String, Object> body) {
        return given().spec(media.http()).auth().oauth2(session).contentType(ContentType.JSON).body(body).post("/api/media/uploads").then();
    }

    private static void assertNothingStoredFor(String userId, String session) {
        assertEquals(List.of(), cluster.storedFilesOf(userId));
        // No part of an unfinished multipart upload either, anywhere in the bucket.
        assertEquals(List.of(), cluster.partsOfUnfinishedUploads());
        given().spec(media.http()).auth().oauth2(session).get("/api/media/files").then().statusCode(200).body("", hasSize(0));
        assertEquals("0", cluster.redis.command("EXISTS", "media:files:" + userId));
    }

    /** A request without Content-Length: the service sees the size only by reading. */
    private static HttpResponse<String> chunked(String path, String session, Map<String, String> headers, InputStream body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(media.baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + session)
                .header("Content-Type", "application/octet-stream");
        headers.forEach(request::header);
        InputStream once = new SequenceInputStream(body, InputStream.nullInputStream());
        request.method(path.endsWith("avatar") ? "PUT" : "POST", HttpRequest.BodyPublishers.ofInputStream(() -> once));
        return MediaCluster.PLAIN.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
