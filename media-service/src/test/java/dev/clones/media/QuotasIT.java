package dev.clones.media;

import dev.clones.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.clones.testing.ProblemJson.problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one user may keep: files (count and bytes) and pending direct uploads, with small quotas here. Over a quota
 * the answer is a clear problem (429 for counts, 413 for bytes), nothing is stored or recorded, other users are not
 * affected, and deleting makes room again.
 */
class QuotasIT {

    static final int MAX_FILES = 3;
    static final int MAX_BYTES = 1000;
    static final int MAX_PENDING = 2;

    static MediaCluster cluster;
    static ServiceProcess media;

    @BeforeAll
    static void start() {
        cluster = MediaCluster.start();
        media = cluster.media("media-a", Map.of(
                "MEDIA_FILES_MAX_FILES_PER_USER", Integer.toString(MAX_FILES),
                "MEDIA_FILES_MAX_BYTES_PER_USER", Integer.toString(MAX_BYTES),
                "MEDIA_UPLOADS_MAX_PENDING_PER_USER", Integer.toString(MAX_PENDING)));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aUserWithTheMostFilesMustDeleteOneBeforeUploadingAnother() throws Exception {
        String session = cluster.newSession();
        String first = null;
        for (int i = 0; i < MAX_FILES; i++) {
            HttpResponse<String> stored = upload(session, "f" + i, 10);
            assertEquals(201, stored.statusCode(), stored.body());
            first = first == null ? id(stored) : first;
        }
        HttpResponse<String> refused = upload(session, "one-too-many", 10);
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("delete some"), refused.body());
        assertEquals(MAX_FILES, listSize(session), "nothing recorded for the refused upload");

        assertEquals(201, upload(cluster.newSession(), "someone-else", 10).statusCode(), "another user is not affected");
        given().spec(media.http()).auth().oauth2(session).delete("/api/media/files/" + first).then().statusCode(204);
        assertEquals(201, upload(session, "after-a-delete", 10).statusCode());
    }

    @Test
    void aFileThatWouldPassTheByteQuotaIs413AndLeavesNothing() throws Exception {
        String session = cluster.newSession();
        HttpResponse<String> big = upload(session, "big", 600);
        assertEquals(201, big.statusCode(), big.body());
        HttpResponse<String> refused = upload(session, "too-much", 600);
        assertEquals(413, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains(MAX_BYTES + " bytes"), refused.body());
        assertEquals(1, listSize(session));
        assertEquals(1, cluster.storedFilesOf(cluster.userId(session)).size(), "the refused file's bytes are not kept");

        // A direct upload is refused as soon as it is announced.
        problem(given().spec(media.http()).auth().oauth2(session).contentType("application/json")
                .body(Map.of("name", "direct.bin", "contentType", "application/octet-stream", "size", 600))
                .post("/api/media/uploads").then(), 413);

        given().spec(media.http()).auth().oauth2(session).delete("/api/media/files/" + id(big)).then().statusCode(204);
        assertEquals(201, upload(session, "fits-again", 600).statusCode());
    }

    @Test
    void aUserMayHaveOnlySoManyDirectUploadsPending() {
        String session = cluster.newSession();
        for (int i = 0; i < MAX_PENDING; i++) {
            given().spec(media.http()).auth().oauth2(session).contentType("application/json")
                    .body(Map.of("name", "d" + i + ".bin", "contentType", "application/octet-stream", "size", 10))
                    .post("/api/media/uploads").then().statusCode(201);
        }
        problem(given().spec(media.http()).auth().oauth2(session).contentType("application/json")
                .body(Map.of("name", "one-more.bin", "contentType", "application/octet-stream", "size", 10))
                .post("/api/media/uploads").then(), 429)
                .body("detail", containsString("direct uploads pending"));
    }

    private static HttpResponse<String> upload(String session, String name, int size) throws Exception {
        return MediaCluster.postFile(media, session, name + ".bin", HttpRequest.BodyPublishers.ofByteArray(new byte[size]));
    }

    private static int listSize(String session) {
        return given().spec(media.http()).auth().oauth2(session).get("/api/media/files").then().statusCode(200)
                .extract().<Integer>path("size()");
    }

    private static String id(HttpResponse<String> stored) {
        Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(stored.body());
        assertTrue(id.find(), stored.body());
        return id.group(1);
    }
}
