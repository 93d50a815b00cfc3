package dev.clones.media;

import dev.clones.testing.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two media-service replicas on one Redis and one S3 server: whatever one stores, the other serves. */
class FilesAcrossReplicasIT {

    static MediaCluster cluster;
    static ServiceProcess a;
    static ServiceProcess b;

    @BeforeAll
    static void start() {
        cluster = MediaCluster.start();
        a = cluster.media("media-a", Map.of());
        b = cluster.media("media-b", Map.of());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static Response upload(ServiceProcess replica, String session, String name, String type, byte[] bytes) {
        return given().spec(replica.http()).config(MediaCluster.AS_SENT).auth().oauth2(session)
                .header("X-File-Name", name).contentType(type).body(bytes)
                .post("/api/media/files");
    }

    @Test
    void fileUploadedThroughOneReplicaIsListedAndDownloadedThroughTheOther() {
        String session = cluster.newSession();
        // Large enough for a multipart upload (8 MiB parts), small enough to keep the test quick.
        byte[] bytes = MediaCluster.randomBytes(20 * 1024 * 1024 + 123);
        String sha256 = MediaCluster.sha256(bytes);

        String id = upload(a, session, "r%C3%A9sum%C3%A9%20final.pdf", "application/pdf", bytes)
                .then().statusCode(201)
                .header("X-Served-By", equalTo("media-service/media-a"))
                .header("Location", startsWith("/api/media/files/"))
                // The body was read to its end: the connection stays open for the next request.
                .header("Connection", nullValue())
                .body("name", equalTo("résumé final.pdf"))
                .body("size", equalTo(bytes.length))
                .body("contentType", equalTo("application/pdf"))
                .body("sha256", equalTo(sha256))
                .body("createdAt", notNullValue())
                .extract().path("id");

        given().spec(b.http()).auth().oauth2(session).get("/api/media/files")
                .then().statusCode(200).header("X-Served-By", equalTo("media-service/media-b"))
                .body("", hasSize(1)).body("[0].id", equalTo(id)).body("[0].sha256", equalTo(sha256));

        Response metadata = given().spec(b.http()).auth().oauth2(session).get("/api/media/files/" + id);
        metadata.then().statusCode(200)
                .header("Cache-Control", containsString("no-store"))
                .body("downloadUrl", startsWith(cluster.s3.endpoint() + "/"))
                .body("downloadUrlExpiresAt", notNullValue());
        MediaCluster.Fetched download = MediaCluster.fetch(metadata.path("downloadUrl"));
        assertEquals(200, download.status());
        assertEquals(bytes.length, download.size());
        assertEquals(sha256, download.sha256());
        assertEquals("application/pdf", download.header("Content-Type"));
        assertTrue(download.header("Content-Disposition").contains("filename*=UTF-8''r%C3%A9sum%C3%A9%20final.pdf"),
                download.header("Content-Disposition"));
    }

    @Test
    void contentRedirectsToASignedUrlThatNeedsNoSession() {
        String session = cluster.newSession();
        byte[] bytes = "plain text, stored as sent\n".getBytes();
        String id = upload(a, session, "notes.txt", "text/plain; charset=utf-8", bytes).then().statusCode(201).extract().path("id");

        String location = given().spec(b.http()).auth().oauth2(session).redirects().follow(false)
                .get("/api/media/files/" + id + "/content")
                .then().statusCode(302).header("Cache-Control", containsString("no-store"))
                .extract().header("Location");
        MediaCluster.Fetched download = MediaCluster.fetch(location);
        assertEquals(200, download.status());
        assertEquals(MediaCluster.sha256(bytes), download.sha256());
        // Served with the declared type (Jetty, in S3Proxy, drops the blank before the parameter).
        assertEquals("text/plain;charset=utf-8", download.header("Content-Type").replace(" ", ""));
    }

    @Test
    void listShowsTheCallersFilesNewestFirst() {
        String session = cluster.newSession();
        String first = upload(a, session, "first.bin", "application/octet-stream", new byte[] {1}).then().statusCode(201).extract().path("id");
        String second = upload(b, session, "second.bin", "application/octet-stream", new byte[] {2, 2}).then().statusCode(201).extract().path("id");
        String empty = upload(a, session, "empty.bin", "application/octet-stream", new byte[0]).then().statusCode(201)
                .body("size", equalTo(0)).extract().path("id");
        given().spec(b.http()).auth().oauth2(session).get("/api/media/files")
                .then().statusCode(200).body("id", equalTo(List.of(empty, second, first)));
        given().spec(a.http()).auth().oauth2(cluster.newSession()).get("/api/media/files")
                .then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void anotherUsersFileIsNotFoundNeverForbidden() {
        String alice = cluster.newSession();
        String mallory = cluster.newSession();
        String id = upload(a, alice, "secret.txt", "text/plain", "alice's secret".getBytes()).then().statusCode(201).extract().path("id");

        for (Response response : List.of(
                given().spec(b.http()).auth().oauth2(mallory).get("/api/media/files/" + id),
                given().spec(b.http()).auth().oauth2(mallory).redirects().follow(false).get("/api/media/files/" + id + "/content"),
                given().spec(b.http()).auth().oauth2(mallory).delete("/api/media/files/" + id),
                given().spec(b.http()).auth().oauth2(mallory).post("/api/media/uploads/" + id + "/complete"),
                given().spec(b.http()).auth().oauth2(mallory).get("/api/media/files/no-such-id"))) {
            response.then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
        }
        given().spec(a.http()).auth().oauth2(alice).get("/api/media/files/" + id).then().statusCode(200);
    }

    @Test
    void deleteRemovesTheObjectAndTheRecordForEveryReplica() {
        String session = cluster.newSession();
        String userId = cluster.userId(session);
        String id = upload(a, session, "doomed.bin", "application/octet-stream", MediaCluster.randomBytes(4096))
                .then().statusCode(201).extract().path("id");
        assertEquals(1, cluster.storedFilesOf(userId).size());

        given().spec(b.http()).auth().oauth2(session).delete("/api/media/files/" + id).then().statusCode(204);

        given().spec(a.http()).auth().oauth2(session).get("/api/media/files/" + id).then().statusCode(404);
        given().spec(a.http()).auth().oauth2(session).get("/api/media/files").then().body("", hasSize(0));
        given().spec(a.http()).auth().oauth2(session).delete("/api/media/files/" + id).then().statusCode(404);
        assertEquals(List.of(), cluster.storedFilesOf(userId));
        // Deleted at once, so nothing is left for the maintenance job either.
        assertEquals(null, cluster.redis.command("ZSCORE", "media:object-cleanup", "files/" + userId + "/" + id));
        assertEquals("0", cluster.redis.command("EXISTS", "media:file:" + id));
    }

    @Test
    void avatarStoredThroughOneReplicaRedirectsThroughTheOtherWithoutSession() {
        String session = cluster.newSession();
        String userId = cluster.userId(session);
        byte[] png = Images.png();

        // A real PNG declared as text: the bytes decide.
        given().spec(a.http()).auth().oauth2(session).contentType("text/plain").body(png).put("/api/media/avatar")
                .then().statusCode(200).body("url", equalTo("/api/media/avatar/" + userId));

        Response redirect = given().spec(b.http()).redirects().follow(false).get("/api/media/avatar/" + userId);
        redirect.then().statusCode(302)
                .header("Cache-Control", equalTo("public, max-age=300"))
                .header("Location", containsString("/" + MediaCluster.BUCKET + "/avatars/" + MediaCluster.sha256(png)));
        MediaCluster.Fetched image = MediaCluster.fetch(redirect.header("Location"));
        assertEquals(200, image.status());
        assertEquals(MediaCluster.sha256(png), image.sha256());
        assertEquals("image/png", image.header("Content-Type"));
        assertEquals("public, max-age=31536000, immutable", image.header("Cache-Control"));

        // A new avatar: a new object, the redirect follows; the old object still holds the old bytes.
        byte[] gif = Images.gif();
        given().spec(b.http()).auth().oauth2(session).contentType("image/gif").body(gif).put("/api/media/avatar").then().statusCode(200);
        String newLocation = given().spec(a.http()).redirects().follow(false).get("/api/media/avatar/" + userId)
                .then().statusCode(302).extract().header("Location");
        assertNotEquals(redirect.header("Location"), newLocation);
        assertEquals(MediaCluster.sha256(gif), MediaCluster.fetch(newLocation).sha256());
        assertEquals(MediaCluster.sha256(png), MediaCluster.fetch(redirect.header("Location")).sha256());
    }

    @Test
    void userWithoutAvatarIs404() {
        String userId = cluster.userId(cluster.newSession());
        given().spec(a.http()).get("/api/media/avatar/" + userId).then().statusCode(404).contentType("application/problem+json");
        given().spec(a.http()).get("/api/media/avatar/..%2F..%2Fetc").then().statusCode(404);
    }

    @Test
    void directUploadIsRecordedOnlyOnceTheObjectIsThere() throws Exception {
        String session = cluster.newSession();
        byte[] bytes = MediaCluster.randomBytes(300_000);
        Response ticket = given().spec(a.http()).auth().oauth2(session).contentType(ContentType.JSON)
                .body(Map.of("name", "direct.bin", "contentType", "application/x-custom", "size", bytes.length))
                .post("/api/media/uploads");
        ticket.then().statusCode(201)
                .body("id", notNullValue())
                .body("uploadUrl", startsWith(cluster.s3.endpoint() + "/"))
                .body("expiresAt", notNullValue())
                .body("headers.content-type", equalTo("application/x-custom"))
                .body("headers.content-length", equalTo(Integer.toString(bytes.length)));
        String id = ticket.path("id");
        String url = ticket.path("uploadUrl");

        given().spec(b.http()).auth().oauth2(session).post("/api/media/uploads/" + id + "/complete")
                .then().statusCode(409).contentType("application/problem+json");
        given().spec(b.http()).auth().oauth2(session).get("/api/media/files").then().body("", hasSize(0));

        // S3Proxy checks the signed headers: another type or another length is refused.
        assertEquals(403, put(url, "application/octet-stream", bytes));
        assertEquals(403, put(url, "application/x-custom", MediaCluster.randomBytes(bytes.length - 1)));
        assertEquals(403, put(url, "application/x-custom", MediaCluster.randomBytes(bytes.length + 1)));
        given().spec(b.http()).auth().oauth2(session).post("/api/media/uploads/" + id + "/complete").then().statusCode(409);

        assertEquals(200, put(url, "application/x-custom", bytes));
        given().spec(b.http()).auth().oauth2(session).post("/api/media/uploads/" + id + "/complete")
                .then().statusCode(200)
                .body("id", equalTo(id)).body("name", equalTo("direct.bin")).body("size", equalTo(bytes.length))
                .body("contentType", equalTo("application/x-custom")).body("sha256", nullValue());
        // Completing again (a retry through another replica) answers the same file, once.
        given().spec(a.http()).auth().oauth2(session).post("/api/media/uploads/" + id + "/complete")
                .then().statusCode(200).body("id", equalTo(id));
        given().spec(a.http()).auth().oauth2(session).get("/api/media/files").then().body("", hasSize(1));

        String downloadUrl = given().spec(a.http()).auth().oauth2(session).get("/api/media/files/" + id).path("downloadUrl");
        assertEquals(MediaCluster.sha256(bytes), MediaCluster.fetch(downloadUrl).sha256());
    }

    @Test
    void endpointsNeedingAUserAnswer401() {
        for (Response response : List.of(
                given().spec(a.http()).get("/api/media/files"),
                given().spec(a.http()).header("X-File-Name", "x").body(new byte[] {1}).post("/api/media/files"),
                given().spec(a.http()).get("/api/media/files/" + java.util.UUID.randomUUID()),
                given().spec(a.http()).body(Images.png()).put("/api/media/avatar"),
                given().spec(a.http()).contentType(ContentType.JSON).body(Map.of("name", "x", "contentType", "text/plain", "size", 1))
                        .post("/api/media/uploads"))) {
            response.then().statusCode(401).contentType("application/problem+json");
        }
    }

    // S3Proxy refuses a bad signature before reading the body and may close the connection while the
    // client still writes it, losing the 403 on the way. A PUT is idempotent, so the test retries it as
    // any S3 client would; the status it finally gets is what is asserted.
    private static int put(String url, String contentType, byte[] bytes) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        for (int attempt = 1; ; attempt++) {
            try {
                return MediaCluster.PLAIN.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }
}
