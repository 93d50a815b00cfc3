package dev.clones.media;

import dev.clones.testing.ServiceProcess;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Object storage or Redis gone: a clear 503 at once, never a hang, nothing half-written; back again: the
 * same process serves again without a restart. Every call uses a client that gives up after 10 s.
 */
class StorageOutageIT {

    static MediaCluster cluster;
    static ServiceProcess media;

    @BeforeAll
    static void start() {
        cluster = MediaCluster.start();
        media = cluster.media("media-outage", Map.of());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void storageDownGives503QuicklyAndTheServiceRecoversWhenItReturns() {
        String session = cluster.newSession();
        String userId = cluster.userId(session);
        String kept = upload(session, "kept.txt", "before the outage").then().statusCode(201).extract().path("id");
        String ticket = given().spec(media.http()).auth().oauth2(session).contentType(ContentType.JSON)
                .body(Map.of("name", "direct.txt", "contentType", "text/plain", "size", 3)).post("/api/media/uploads")
                .then().statusCode(201).extract().path("id");

        cluster.s3.stop();
        try {
            upload(session, "lost.txt", "during the outage").then().statusCode(503)
                    .contentType("application/problem+json").body("status", equalTo(503)).header("Retry-After", "1");
            given().spec(media.http()).config(MediaCluster.IMPATIENT).auth().oauth2(session).header("X-File-Name", "big.bin")
                    .contentType("application/octet-stream").body(MediaCluster.randomBytes(9 * 1024 * 1024)).post("/api/media/files")
                    .then().statusCode(503).contentType("application/problem+json");
            given().spec(media.http()).config(MediaCluster.IMPATIENT).auth().oauth2(session).body(Images.png()).put("/api/media/avatar")
                    .then().statusCode(503).contentType("application/problem+json");
            given().spec(media.http()).config(MediaCluster.IMPATIENT).auth().oauth2(session).post("/api/media/uploads/" + ticket + "/complete")
                    .then().statusCode(503).contentType("application/problem+json");
            given().spec(media.http()).config(MediaCluster.IMPATIENT).get("/q/health/ready")
                    .then().statusCode(503).body("checks.find { it.name == 'object-storage' }.data.error", containsString("cannot be reached"));
            given().spec(media.http()).config(MediaCluster.IMPATIENT).get("/q/health/live").then().statusCode(200);
            // Metadata lives in Redis and URLs are signed locally: listing and reading still work.
            given().spec(media.http()).config(MediaCluster.IMPATIENT).auth().oauth2(session).get("/api/media/files")
                    .then().statusCode(200).body("", hasSize(1));
            given().spec(media.http()).config(MediaCluster.IMPATIENT).auth().oauth2(session).get("/api/media/files/" + kept)
                    .then().statusCode(200);
        } finally {
            cluster.s3.restart();
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(media::isReady);
        upload(session, "after.txt", "after the outage").then().statusCode(201);
        given().spec(media.http()).auth().oauth2(session).get("/api/media/files")
                .then().statusCode(200).body("name", equalTo(List.of("after.txt", "kept.txt")));
        assertEquals(2, cluster.storedFilesOf(userId).size());
    }

    @Test
    void redisDownGives503AndTheServiceRecoversWhenItReturns() {
        String session = cluster.newSession();
        cluster.redis.stop();
        try {
            upload(session, "x.txt", "no redis").then().statusCode(503).contentType("application/problem+json");
            given().spec(media.http()).config(MediaCluster.IMPATIENT).get("/api/media/avatar/" + java.util.UUID.randomUUID())
                    .then().statusCode(503).contentType("application/problem+json");
            given().spec(media.http()).config(MediaCluster.IMPATIENT).get("/q/health/ready").then().statusCode(503);
        } finally {
            cluster.redis.restart();
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(media::isReady);
        upload(session, "y.txt", "redis is back").then().statusCode(201);
    }

    @Test
    void missingBucketFailsReadinessWithAClearMessageUntilItExists() throws Exception {
        ServiceProcess strict = cluster.mediaBuilder("media-no-bucket", Map.of(
                        "MEDIA_S3_CREATE_BUCKET", "false",
                        "MEDIA_S3_BUCKET", "provisioned-elsewhere"))
                .startWithoutWaitingForReady();
        cluster.track(strict);
        strict.awaitLive();
        given().spec(strict.http()).config(MediaCluster.IMPATIENT).get("/q/health/ready")
                .then().statusCode(503)
                .body("checks.find { it.name == 'object-storage' }.data.error",
                        containsString("The bucket provisioned-elsewhere does not exist"));

        // S3Proxy's filesystem store: a bucket is a directory. Provisioning it makes the replica ready.
        Files.createDirectories(cluster.s3.dataDir().resolve("provisioned-elsewhere"));
        strict.awaitReady(Duration.ofSeconds(30));
    }

    private static io.restassured.response.Response upload(String session, String name, String text) {
        return given().spec(media.http()).config(MediaCluster.IMPATIENT).auth().oauth2(session)
                .header("X-File-Name", name).contentType("text/plain").body(text.getBytes()).post("/api/media/files");
    }
}
