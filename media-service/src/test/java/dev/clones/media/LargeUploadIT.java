package dev.clones.media;

import dev.clones.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The streaming proof: a 1 GiB body, made up on the fly by the test, goes through a service whose heap is
 * capped at 128 MiB. Were the body held in memory the service would fail; it must store it whole, with the
 * right checksum. (Takes about a minute here; run alone with -Dit.test=LargeUploadIT.)
 */
class LargeUploadIT {

    static final long SIZE = 1024L * 1024 * 1024;

    static MediaCluster cluster;
    static ServiceProcess media;

    @BeforeAll
    static void start() {
        cluster = MediaCluster.start();
        media = cluster.media("media-128m", Map.of(
                "MEDIA_FILES_MAX_SIZE", "2G",
                "QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE", "3G"), "128m");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void oneGibibyteStreamsThroughA128MiBHeap() throws Exception {
        String session = cluster.newSession();
        String userId = cluster.userId(session);
        GeneratedBody body = new GeneratedBody(SIZE, 42);

        long started = System.nanoTime();
        HttpResponse<String> response = MediaCluster.postFile(media, session, "one-gibibyte.bin",
                HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), SIZE));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(201, response.statusCode(), response.body());
        assertEquals(SIZE, body.sent());
        String expected = body.sha256();
        String id = io.restassured.path.json.JsonPath.from(response.body()).getString("id");
        assertEquals(expected, io.restassured.path.json.JsonPath.from(response.body()).getString("sha256"));
        System.out.printf("LargeUploadIT: 1 GiB uploaded in %.1f s (%.0f MiB/s); service peak RSS %s%n",
                took.toMillis() / 1000.0, SIZE / 1024.0 / 1024.0 / (took.toMillis() / 1000.0), peakRss(media.pid()));

        // What storage holds is what was sent, byte for byte.
        List<Path> stored = cluster.storedFilesOf(userId);
        assertEquals(1, stored.size());
        assertEquals(SIZE, Files.size(stored.get(0)));
        assertEquals(expected, MediaCluster.sha256(stored.get(0)));
        given().spec(media.http()).auth().oauth2(session).get("/api/media/files/" + id)
                .then().statusCode(200).body("size", equalTo((int) SIZE)).body("sha256", equalTo(expected));
    }

    static String peakRss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(line -> line.startsWith("VmHWM")).map(line -> line.substring(6).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
