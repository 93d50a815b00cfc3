package dev.clones.media;

import dev.clones.testing.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Upload throughput of a 256 MiB body through media-service (streamed to S3 in parts while hashed) against a
 * direct PUT of the same bytes to the same S3 server (a presigned URL, as direct uploads use), and the
 * service's peak RSS. Not a test: no IT suffix, so failsafe runs it only when asked:
 * {@code ./mvnw -B -pl media-service -am verify -Dit.test=UploadBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfailsafe.failIfNoSpecifiedTests=false [-Dbench.heap=128m] [-Dbench.jfr=/tmp/upload.jfr]} (figures on stdout, about
 * two minutes). With {@code bench.jfr} the service runs under a JFR recording (settings=profile) written to that file
 * when it stops; read it with {@code jfr view hot-methods FILE}. Load averages before and after are printed because
 * the figures mean little when something else had the cores.
 */
class UploadBenchmark {

    static final long SIZE = 256L * 1024 * 1024;
    static final int ROUNDS = 3;

    @Test
    void serviceVersusDirectPut() throws Exception {
        try (MediaCluster cluster = MediaCluster.start()) {
            String heap = System.getProperty("bench.heap", "128m");
            String jfr = System.getProperty("bench.jfr", "");
            ServiceProcess.Builder builder = cluster.mediaBuilder("media-bench", Map.of(
                    "MEDIA_FILES_MAX_SIZE", "512M", "QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE", "600M")).heap(heap);
            if (!jfr.isBlank()) {
                builder.jvmArgs("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + Path.of(jfr).toAbsolutePath());
            }
            ServiceProcess media = builder.start();
            cluster.track(media);
            String loadBefore = loadAverage();
            String session = cluster.newSession();

            // Warm-up: JIT and connection pools on both paths.
            throughService(media, session, 32L * 1024 * 1024);
            directPut(media, session, 32L * 1024 * 1024);

            List<Double> service = new ArrayList<>();
            List<Double> direct = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                service.add(throughService(media, session, SIZE));
                direct.add(directPut(media, session, SIZE));
            }
            double serviceMedian = median(service);
            double directMedian = median(direct);
            System.out.printf("%nUploadBenchmark: %d MiB body, %d rounds, median of each%n", SIZE >> 20, ROUNDS);
            System.out.printf("  through media-service (POST /api/media/files): %6.1f MiB/s   runs %s%n", serviceMedian, service);
            System.out.printf("  direct PUT to S3 (presigned URL):              %6.1f MiB/s   runs %s%n", directMedian, direct);
            System.out.printf("  ratio service/direct: %.2f%n", serviceMedian / directMedian);
            System.out.printf("  media-service peak RSS (VmHWM, -Xmx%s): %s%n", heap, LargeUploadIT.peakRss(media.pid()));
            System.out.printf("  load average before / after: %s / %s%n", loadBefore, loadAverage());
            if (!jfr.isBlank()) {
                System.out.printf("  JFR recording written to %s when the service stops: jfr view hot-methods %s%n", jfr, jfr);
            }
            System.out.println();
        }
    }

    /** MiB/s of one upload through the service. */
    private static double throughService(ServiceProcess media, String session, long size) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = MediaCluster.postFile(media, session, "bench.bin", body(size));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(201, response.statusCode(), response.body());
        return round(size / 1048576.0 / seconds);
    }

    /** MiB/s of the same bytes PUT straight to storage with a presigned URL. */
    private static double directPut(ServiceProcess media, String session, long size) throws Exception {
        String ticket = given().spec(media.http()).auth().oauth2(session).contentType(ContentType.JSON)
                .body(Map.of("name", "bench.bin", "contentType", "application/octet-stream", "size", size))
                .post("/api/media/uploads").then().statusCode(201).extract().asString();
        long started = System.nanoTime();
        HttpResponse<String> response = MediaCluster.PLAIN.send(HttpRequest.newBuilder(URI.create(JsonPath.from(ticket).getString("uploadUrl")))
                .timeout(Duration.ofMinutes(10))
                .header("Content-Type", "application/octet-stream")
                .PUT(body(size)).build(), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(200, response.statusCode(), response.body());
        return round(size / 1048576.0 / seconds);
    }

    /** The same cheap bytes for both paths: a random 1 MiB block repeated, so the client costs next to nothing. */
    private static HttpRequest.BodyPublisher body(long size) {
        byte[] block = new byte[1 << 20];
        new Random(7).nextBytes(block);
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
            long sent;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (sent >= size) {
                    return -1;
                }
                int position = (int) (sent % block.length);
                int n = (int) Math.min(Math.min(length, block.length - position), size - sent);
                System.arraycopy(block, position, buffer, offset, n);
                sent += n;
                return n;
            }
        }), size);
    }

    /** The 1, 5 and 15 minute load averages of the machine. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
