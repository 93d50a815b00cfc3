package dev.clones.testing;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness against the real servers: start, write, stop or kill, restart on the same port, read back. */
class BackingServersTest {

    @Test
    void redisKeepsDataAcrossStopAndKill() {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            assertEquals("redis://127.0.0.1:" + port, redis.uri());
            assertEquals("OK", redis.command("SET", "greeting", "hello wörld"));
            assertEquals("1", redis.command("RPUSH", "list", "a"));

            redis.restart();
            assertEquals(port, redis.port());
            assertEquals("hello wörld", redis.command("GET", "greeting"));

            redis.kill();
            assertFalse(redis.isRunning());
            assertThrows(RuntimeException.class, () -> redis.command("PING"));
            redis.restart();
            assertEquals("hello wörld", redis.command("GET", "greeting"));
            assertEquals(List.of("greeting", "list"), redis.commandList("KEYS", "*").stream().sorted().toList());
            assertNull(redis.command("GET", "missing"));
            assertEquals("[hello wörld, (nil)]", redis.command("MGET", "greeting", "missing"));
            assertThrows(IllegalStateException.class, () -> redis.command("NOSUCHCOMMAND"));
            assertEquals("OK", redis.command("FLUSHALL"));
            assertEquals(List.of(), redis.commandList("KEYS", "*"));
        }
    }

    @Test
    void s3ProxyAnswersAgainAfterRestart() throws Exception {
        try (S3Server s3 = S3Server.start()) {
            assertEquals("http://127.0.0.1:" + s3.port(), s3.endpoint());
            assertTrue(Files.isDirectory(s3.dataDir()));
            int before = httpStatus(s3.endpoint() + "/");
            assertTrue(before >= 200 && before < 500, "status " + before);

            s3.stop();
            assertThrows(IOException.class, () -> httpStatus(s3.endpoint() + "/"));
            s3.restart();
            assertEquals(before, httpStatus(s3.endpoint() + "/"));
        }
    }

    @Test
    void rabbitMqAnswersCtlAndRestarts() {
        try (RabbitMqServer rabbit = RabbitMqServer.start()) {
            assertTrue(rabbit.ctl("status").contains("Listener"), "status shows the listeners");
            assertTrue(rabbit.ctl("status").contains(String.valueOf(rabbit.port())));
            assertFalse(FreePorts.isFree(rabbit.port()));

            rabbit.stop();
            assertFalse(rabbit.isRunning());
            assertTrue(FreePorts.isFree(rabbit.port()));
            rabbit.restart();
            assertTrue(rabbit.ctl("-q", "list_queues", "name", "messages").isBlank());

            rabbit.kill();
            rabbit.restart();
            assertTrue(rabbit.ctl("status").contains(rabbit.node()));
        }
    }

    @Test
    void serviceProcessStartsKillsAndRestartsOnTheSamePort(@TempDir Path tmp) throws Exception {
        Path jar = fakeServiceJar(tmp);
        try (ServiceProcess service = ServiceProcess.builder().name("fake-a").jar(jar).heap("32m").start()) {
            assertTrue(service.isAlive());
            assertTrue(service.startToReady().compareTo(Duration.ZERO) > 0);
            service.http().get("/q/health/live").then().statusCode(200).body("replica", equalTo("fake-a"));
            long firstPid = service.pid();

            service.kill();
            assertFalse(service.isAlive());
            assertFalse(service.isReady());
            service.restart();
            assertTrue(service.pid() != firstPid);
            assertTrue(service.isReady());

            service.terminate();
            service.restartWithoutWaitingForReady();
            service.awaitLive();
            assertTrue(Files.readString(service.logFile()).contains("listening on " + service.port()));
        }

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> ServiceProcess.builder()
                .name("fake-broken").jar(jar).env("FAKE_FAIL", "no redis").start());
        assertTrue(failure.getMessage().contains("fake service refuses to start: no redis"), failure.getMessage());
    }

    private static int httpStatus(String url) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    /** A runnable jar holding only {@link FakeService}, launched like a quarkus-run.jar. */
    private static Path fakeServiceJar(Path dir) throws IOException {
        String entry = FakeService.class.getName().replace('.', '/') + ".class";
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        Path jar = dir.resolve("fake-service.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
                var classFile = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
