package dev.clones.media.reports;

import dev.clones.testing.ServiceProcess;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker refuses, disappears and comes back: 202 means done eventually, everything else is a clear 503. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportsBrokerOutageIT {

    static final Duration PATIENCE = Duration.ofSeconds(90);
    /** A client that gives up after 10 s, so that a hanging request fails the test instead of stalling it. */
    static final RestAssuredConfig IMPATIENT = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", 10_000)
            .setParam("http.socket.timeout", 10_000));
    static final int QUEUE_BOUND = 4;

    static ReportStack stack;
    static ServiceProcess media;
    static ServiceProcess worker;

    @BeforeAll
    static void start() {
        stack = new ReportStack();
        // One user floods the queue here: the queue's own bound is what is tested, not the per-user one.
        media = stack.startMedia("media-a", Map.of("MEDIA_REPORTS_QUEUE_MAX_LENGTH", String.valueOf(QUEUE_BOUND),
                "MEDIA_REPORTS_MAX_ACTIVE_PER_USER", "100"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    @Order(1)
    void aFloodIsRefusedAtTheFrontDoorAndWhatWasAcceptedIsDone() {
        ReportStack.User user = stack.newUser();
        List<String> accepted = new ArrayList<>();
        int refused = 0;
        int requests = QUEUE_BOUND + 4;
        for (int i = 0; i < requests; i++) {
            Response response = ReportStack.requestReport(media, user, "cart", "csv");
            if (response.statusCode() == 202) {
                accepted.add(response.path("id"));
            } else {
                assertEquals(503, response.statusCode(), response.asString());
                assertEquals("1", response.header("Retry-After"));
                refused++;
            }
        }
        // A quorum queue checks its bound as it takes a message, so it may end one over it.
        assertTrue(accepted.size() >= QUEUE_BOUND && accepted.size() <= QUEUE_BOUND + 1, "accepted " + accepted.size());
        assertEquals(requests - accepted.size(), refused);
        assertEquals(accepted.size(), (int) given().spec(media.http()).auth().oauth2(user.token()).get("/api/reports").<Integer>path("size()"),
                "refused requests left no report behind");

        startWorker();
        for (String id : accepted) {
            ReportStack.awaitReport(media, user, id, "done", PATIENCE);
        }
    }

    @Test
    @Order(2)
    void aBrokerRestartWhileReportsAreRequestedLosesNoAcceptedReportAndNothingHangs() throws Exception {
        startWorker();
        ReportStack.User user = stack.newUser();
        stack.seedOrder(user, "order-" + user.id(), Instant.now(), "TEA-CHAI-200", "Masala chai", 2, 990);
        List<String> accepted = new CopyOnWriteArrayList<>();
        List<Integer> refused = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread client = new Thread(() -> {
            while (running.get()) {
                Response response = given().spec(media.http()).config(IMPATIENT).auth().oauth2(user.token())
                        .contentType("application/json").body(Map.of("type", "orders", "format", "csv")).post("/api/reports");
                if (response.statusCode() == 202) {
                    accepted.add(response.path("id"));
                } else {
                    refused.add(response.statusCode());
                }
                sleep(150);
            }
        });
        client.start();
        try {
            sleep(1_000);
            stack.rabbit.stop();
            sleep(3_000);
            stack.rabbit.restart();
            // Publisher and consumer reconnect by themselves: requests are accepted and done again.
            int before = accepted.size();
            org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> accepted.size() >= before + 3);
        } finally {
            running.set(false);
            client.join(30_000);
        }

        assertTrue(refused.stream().allMatch(status -> status == 503), "only 503s, no other failure: " + refused);
        assertTrue(!refused.isEmpty(), "requests during the outage were refused");
        for (String id : accepted) {
            ReportStack.awaitReport(media, user, id, "done", PATIENCE);
        }
        List<String> listed = given().spec(media.http()).auth().oauth2(user.token()).get("/api/reports").path("id");
        assertEquals(accepted.size(), listed.size(), "no report exists that was not accepted");
    }

    @Test
    @Order(3)
    void notificationsKeepFlowingAfterRedisRestarts() {
        startWorker();
        ReportStack.User user = stack.newUser();
        ReportsIT.Listener listener = new ReportsIT.Listener();
        java.net.http.WebSocket socket = ReportsIT.connect(media, "Authorization", "Bearer " + user.token(), listener);
        try {
            stack.redis.restart();
            // The socket survived; the replica renews its subscription by itself.
            org.awaitility.Awaitility.await().atMost(PATIENCE).untilAsserted(() -> {
                String id = ReportStack.requestReport(media, user, "cart", "csv").then().statusCode(202).extract().path("id");
                listener.awaitContaining(id);
            });
        } finally {
            socket.abort();
        }
    }

    @Test
    @Order(4)
    void aClientThatHangsUpMidRequestLeavesNoReportWithoutAJob() throws Exception {
        startWorker();
        ReportStack.User user = stack.newUser();
        // A first request leaves the session fresh and cached: the second one writes to Redis only to create.
        given().spec(media.http()).auth().oauth2(user.token()).get("/api/reports").then().statusCode(200);
        String body = "{\"type\":\"cart\",\"format\":\"csv\"}";
        // Writes wait for 1 s: the record is created after the client is gone, where the job used to be forgotten.
        stack.redis.command("CLIENT", "PAUSE", "1000", "WRITE");
        try (java.net.Socket client = new java.net.Socket("127.0.0.1", media.port())) {
            client.getOutputStream().write(("POST /api/reports HTTP/1.1\r\nHost: media\r\nAuthorization: Bearer " + user.token()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            sleep(300);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<Map<String, Object>> listed = given().spec(media.http()).auth().oauth2(user.token()).get("/api/reports")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            assertEquals(1, listed.size(), "the request reached Redis before its client hung up: " + listed);
            assertEquals("done", listed.get(0).get("status"), "its job was published and worked on: " + listed);
        });
    }

    private static void startWorker() {
        if (worker == null) {
            worker = stack.startWorker("outage-worker", Map.of("WORKER_QUEUE_MAX_LENGTH", String.valueOf(QUEUE_BOUND)));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
