package dev.clones.media;

import dev.clones.testing.RedisServer;
import dev.clones.testing.S3Clients;
import dev.clones.testing.S3Server;
import dev.clones.testing.ServiceProcess;
import dev.clones.testing.TestStack;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A {@link TestStack} with Redis, S3 (S3Proxy) and one auth-service to log users in, and media-service processes
 * on them, as the tests of this module need them.
 */
final class MediaCluster implements AutoCloseable {

    static final String BUCKET = "clones-media";

    /** A client that gives up after 10 s, so that a hanging service fails the test instead of stalling it. */
    static final RestAssuredConfig IMPATIENT = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", 10_000)
            .setParam("http.socket.timeout", 10_000));

    /** Sends Content-Type as given (rest-assured otherwise appends a charset to every non-JSON type). */
    static final RestAssuredConfig AS_SENT = RestAssuredConfig.config().encoderConfig(
            io.restassured.config.EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    /** A plain HTTP client, as a browser following a signed URL would be: no session, no redirects. */
    static final HttpClient PLAIN = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final TestStack stack;
    final RedisServer redis;
    final S3Server s3;
    final ServiceProcess auth;
    private S3Client storage;

    private MediaCluster(TestStack stack) {
        this.stack = stack;
        this.redis = stack.redis();
        this.s3 = stack.s3();
        this.auth = stack.authService();
    }

    static MediaCluster start() {
        // No broker: these tests do not request reports.
        return new MediaCluster(TestStack.builder().redis().s3().authService().build());
    }

    /** Starts a media-service replica on this cluster's Redis and S3 and waits until it is ready. */
    ServiceProcess media(String name, Map<String, String> env) {
        return media(name, env, "256m");
    }

    ServiceProcess media(String name, Map<String, String> env, String heap) {
        return stack.start(mediaBuilder(name, env).heap(heap));
    }

    /** A media-service replica with the stack's environment and {@code env} on top, for the caller to start and {@link #track}. */
    ServiceProcess.Builder mediaBuilder(String name, Map<String, String> env) {
        return stack.service(name).env(env);
    }

    void track(ServiceProcess service) {
        stack.track(service);
    }

    /** A new user, registered and logged in through auth-service; answers the session token. */
    String newSession() {
        return stack.newSession();
    }

    String userId(String session) {
        return stack.userId(session);
    }

    /** Every regular file S3Proxy's filesystem store holds in the bucket (objects, and parts of unfinished uploads). */
    List<Path> storedFiles() {
        Path bucket = s3.dataDir().resolve(BUCKET);
        if (!Files.isDirectory(bucket)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(bucket)) {
            return all.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files in the bucket that are neither an object of a file nor an avatar: the parts of unfinished multipart uploads. */
    List<Path> partsOfUnfinishedUploads() {
        return storedFiles().stream().filter(p -> !p.toString().contains("/files/") && !p.toString().contains("/avatars/")).toList();
    }

    /** A client of this cluster's S3 server, for what the service's API does not show (pending multipart uploads, ETags). */
    synchronized S3Client storage() {
        if (storage == null) {
            storage = stack.track(S3Clients.of(s3));
        }
        return storage;
    }

    /** Keys of the multipart uploads started and neither completed nor aborted, in the whole bucket. */
    List<String> pendingMultipartUploads() {
        return storage().listMultipartUploadsPaginator(l -> l.bucket(BUCKET)).uploads().stream().map(MultipartUpload::key).toList();
    }

    List<Path> storedFilesOf(String userId) {
        Path prefix = s3.dataDir().resolve(BUCKET).resolve("files").resolve(userId);
        return storedFiles().stream().filter(path -> path.startsWith(prefix)).toList();
    }

    @Override
    public void close() {
        stack.close();
    }

    // --- plain HTTP, as a browser or a mobile client would do it ----------------------------------

    /** GETs a URL without any credentials and answers status and SHA-256 of the body, streamed. */
    static Fetched fetch(String url) {
        try {
            HttpResponse<InputStream> response = PLAIN.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[64 * 1024];
                long size = 0;
                StringBuilder start = new StringBuilder();
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    sha256.update(buffer, 0, n);
                    if (start.length() < 2000) {
                        start.append(new String(buffer, 0, Math.min(n, 2000), java.nio.charset.StandardCharsets.ISO_8859_1));
                    }
                    size += n;
                }
                return new Fetched(response.statusCode(), size, HexFormat.of().formatHex(sha256.digest()),
                        response.headers().map(), start.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a file upload (the raw body, as a browser's fetch would send it), waiting up to 10 minutes for the answer. */
    static HttpResponse<String> postFile(ServiceProcess media, String session, String name, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        return PLAIN.send(HttpRequest.newBuilder(URI.create(media.baseUrl() + "/api/media/files"))
                .timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + session)
                .header("X-File-Name", name)
                .header("Content-Type", "application/octet-stream")
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SHA-256 of a file, read in 1 MiB pieces (stored objects may be larger than a test's heap). */
    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(size).nextBytes(bytes);
        return bytes;
    }

    record Fetched(int status, long size, String sha256, Map<String, List<String>> headers, String bodyStart) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(",", e.getValue())).findFirst().orElse(null);
        }
    }
}
