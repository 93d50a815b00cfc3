package dev.clones.media;

import dev.clones.testing.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signed URLs stop working when they expire: the storage server itself refuses them, whichever replica
 * signed them. A replica here signs for one second only.
 */
class SignedUrlExpiryIT {

    static MediaCluster cluster;
    static ServiceProcess media;

    @BeforeAll
    static void start() {
        cluster = MediaCluster.start();
        media = cluster.media("media-short-urls", Map.of(
                "MEDIA_FILES_DOWNLOAD_URL_TTL", "PT1S",
                "MEDIA_UPLOADS_URL_TTL", "PT1S",
                "MEDIA_AVATAR_URL_TTL", "PT2S",
                "MEDIA_AVATAR_REDIRECT_MAX_AGE", "PT1S"));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void expiredDownloadUrlIsRefusedByTheStorageServer() {
        String session = cluster.newSession();
        String id = given().spec(media.http()).auth().oauth2(session).header("X-File-Name", "soon-gone.txt")
                .contentType("text/plain").body("short-lived".getBytes()).post("/api/media/files")
                .then().statusCode(201).extract().path("id");
        Response metadata = given().spec(media.http()).auth().oauth2(session).get("/api/media/files/" + id);
        String url = metadata.path("downloadUrl");
        Instant expiresAt = Instant.parse(metadata.path("downloadUrlExpiresAt"));
        assertTrue(Duration.between(Instant.now(), expiresAt).toSeconds() <= 1, "signed for one second: " + expiresAt);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> MediaCluster.fetch(url).status() == 403);
        MediaCluster.Fetched refused = MediaCluster.fetch(url);
        assertEquals(403, refused.status());
        assertTrue(refused.bodyStart().contains("AccessDenied"), refused.bodyStart());

        // The service signs a fresh one on every request.
        String fresh = given().spec(media.http()).auth().oauth2(session).redirects().follow(false)
                .get("/api/media/files/" + id + "/content").then().statusCode(302).extract().header("Location");
        await().atMost(Duration.ofSeconds(30)).until(() -> MediaCluster.fetch(fresh).status() == 403);
    }

    @Test
    void expiredUploadUrlIsRefusedAndNothingCanBeCompleted() throws Exception {
        String session = cluster.newSession();
        Response ticket = given().spec(media.http()).auth().oauth2(session).contentType(ContentType.JSON)
                .body(Map.of("name", "late.txt", "contentType", "text/plain", "size", 4)).post("/api/media/uploads");
        String url = ticket.then().statusCode(201).extract().path("uploadUrl");
        String id = ticket.path("id");
        Instant expiresAt = Instant.parse(ticket.path("expiresAt"));

        // Nothing is sent before the URL has expired (S3Proxy runs on this machine's clock).
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(expiresAt.plusSeconds(1)));
        assertEquals(403, put(url));
        given().spec(media.http()).auth().oauth2(session).post("/api/media/uploads/" + id + "/complete")
                .then().statusCode(409).body("detail", containsString("Nothing has been uploaded"));
        assertEquals(java.util.List.of(), cluster.storedFilesOf(cluster.userId(session)));
    }

    private static int put(String url) throws Exception {
        return MediaCluster.PLAIN.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("late")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
