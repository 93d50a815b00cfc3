package dev.clones.media.reports;

import dev.clones.testing.ServiceProcess;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two media-service replicas and a worker: reports requested through one, seen through the other, pushed to both. */
class ReportsIT {

    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static ReportStack stack;
    static ServiceProcess mediaA;
    static ServiceProcess mediaB;

    @BeforeAll
    static void start() {
        stack = new ReportStack();
        mediaA = stack.startMedia("media-a", Map.of());
        mediaB = stack.startMedia("media-b", Map.of());
        stack.startWorker("worker-1", Map.of("WORKER_RETRY_INITIAL_BACKOFF", "PT0.2S"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aReportRequestedThroughOneReplicaIsDoneThroughTheOtherAndItsPdfAndCsvAreReal() throws Exception {
        ReportStack.User user = stack.newUser();
        stack.seedOrder(user, "order-" + user.id(), Instant.parse("2025-05-01T08:00:00Z"), "TEA-MATCHA-30", "Ceremonial matcha, 30 g", 3, 2450);

        String pdf = ReportStack.requestReport(mediaA, user, "orders", "pdf").then().statusCode(202)
                .header("Location", startsWith("/api/reports/")).body("status", equalTo("queued")).extract().path("id");
        String csv = ReportStack.requestReport(mediaA, user, "orders", "csv").then().statusCode(202).extract().path("id");

        Map<String, Object> pdfView = ReportStack.awaitReport(mediaB, user, pdf, "done", PATIENCE);
        assertEquals("orders", pdfView.get("type"));
        assertNotNull(pdfView.get("finishedAt"));
        try (PDDocument document = Loader.loadPDF(download((String) pdfView.get("downloadUrl")))) {
            String text = new PDFTextStripper().getText(document);
            assertTrue(text.matches("(?s).*Grand total\\s+73\\.50.*"), text);
        }
        Map<String, Object> csvView = ReportStack.awaitReport(mediaB, user, csv, "done", PATIENCE);
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(new String(download((String) csvView.get("downloadUrl")), StandardCharsets.UTF_8)))) {
            List<CSVRecord> rows = parser.getRecords();
            assertEquals(1, rows.size());
            assertEquals("7350", rows.getFirst().get("order_total_cents"));
        }

        List<String> listed = given().spec(mediaB.http()).auth().oauth2(user.token()).get("/api/reports")
                .then().statusCode(200).extract().path("id");
        assertEquals(List.of(csv, pdf), listed, "newest first");
    }

    @Test
    void aUserWithTwoTabsOnTwoReplicasHearsOfTheReportOnBoth() throws Exception {
        ReportStack.User user = stack.newUser();
        ReportStack.User someoneElse = stack.newUser();
        stack.seedOrder(user, "order-" + user.id(), Instant.now(), "TEA-SENCHA-100", "Sencha", 1, 850);
        Listener onA = new Listener();
        Listener onB = new Listener();
        Listener other = new Listener();
        WebSocket tabA = connect(mediaA, "Authorization", "Bearer " + user.token(), onA);
        WebSocket tabB = connect(mediaB, "Cookie", "SID=" + user.token(), onB);
        WebSocket otherTab = connect(mediaA, "Authorization", "Bearer " + someoneElse.token(), other);
        try {
            String id = ReportStack.requestReport(mediaB, user, "orders", "csv").then().statusCode(202).extract().path("id");

            String eventA = onA.awaitContaining(id);
            String eventB = onB.awaitContaining(id);
            assertTrue(eventA.contains("\"type\":\"report.done\""), eventA);
            assertTrue(eventA.contains("\"downloadUrl\":\"http"), eventA);
            assertEquals(eventA, eventB);
            assertTrue(!eventA.contains(user.id()), "the envelope's user id is not sent on: " + eventA);
            Thread.sleep(500);
            assertTrue(other.received.isEmpty(), "nobody else hears of it: " + other.received);
        } finally {
            tabA.abort();
            tabB.abort();
            otherTab.abort();
        }
    }

    @Test
    void theNotificationSocketRefusesAnyoneWithoutASession() {
        CompletionException noSession = assertThrows(CompletionException.class,
                () -> HTTP.newWebSocketBuilder().buildAsync(wsUri(mediaA), new Listener()).join());
        assertEquals(401, assertInstanceOf(WebSocketHandshakeException.class, noSession.getCause()).getResponse().statusCode());

        CompletionException badToken = assertThrows(CompletionException.class, () -> HTTP.newWebSocketBuilder()
                .header("Authorization", "Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .buildAsync(wsUri(mediaA), new Listener()).join());
        assertEquals(401, assertInstanceOf(WebSocketHandshakeException.class, badToken.getCause()).getResponse().statusCode());
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameReportOnAnyReplica() {
        ReportStack.User user = stack.newUser();
        String first = given().spec(mediaA.http()).auth().oauth2(user.token()).header("Idempotency-Key", "monthly-2025-05")
                .contentType("application/json").body(Map.of("type", "cart", "format", "pdf")).post("/api/reports")
                .then().statusCode(202).extract().path("id");
        String again = given().spec(mediaB.http()).auth().oauth2(user.token()).header("Idempotency-Key", "monthly-2025-05")
                .contentType("application/json").body(Map.of("type", "cart", "format", "pdf")).post("/api/reports")
                .then().statusCode(202).header("Location", equalTo("/api/reports/" + first)).extract().path("id");
        assertEquals(first, again);
        given().spec(mediaB.http()).auth().oauth2(user.token()).header("Idempotency-Key", "monthly-2025-05")
                .contentType("application/json").body(Map.of("type", "orders", "format", "pdf")).post("/api/reports")
                .then().statusCode(422).contentType("application/problem+json");
        assertEquals(1, (int) given().spec(mediaA.http()).auth().oauth2(user.token()).get("/api/reports").<Integer>path("size()"), "one report");
    }

    @Test
    void reportsArePrivateAndRequestsAreChecked() {
        ReportStack.User owner = stack.newUser();
        ReportStack.User intruder = stack.newUser();
        String id = ReportStack.requestReport(mediaA, owner, "cart", "csv").then().statusCode(202).extract().path("id");

        given().spec(mediaB.http()).auth().oauth2(intruder.token()).get("/api/reports/" + id)
                .then().statusCode(404).contentType("application/problem+json");
        given().spec(mediaB.http()).get("/api/reports/" + id).then().statusCode(401);
        given().spec(mediaB.http()).get("/api/reports").then().statusCode(401);
        given().spec(mediaB.http()).contentType("application/json").body(Map.of("type", "cart", "format", "csv"))
                .post("/api/reports").then().statusCode(401);
        ReportStack.requestReport(mediaA, owner, "invoices", "csv").then().statusCode(400)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("type"));
        ReportStack.requestReport(mediaA, owner, "cart", "docx").then().statusCode(400);
        given().spec(mediaA.http()).auth().oauth2(owner.token()).header("Idempotency-Key", "not a valid key!")
                .contentType("application/json").body(Map.of("type", "cart", "format", "csv")).post("/api/reports")
                .then().statusCode(400);
        assertEquals(List.of(), given().spec(mediaA.http()).auth().oauth2(intruder.token()).get("/api/reports").path("id"));
    }

    @Test
    void aFailedReportSaysWhy() {
        ReportStack.User user = stack.newUser();
        // cart-service's order list is corrupt: every attempt fails, the report ends failed.
        stack.redis.command("SET", "user-orders:" + user.id(), "not a list");
        String id = ReportStack.requestReport(mediaA, user, "orders", "pdf").then().statusCode(202).extract().path("id");

        Map<String, Object> failed = ReportStack.awaitReport(mediaB, user, id, "failed", PATIENCE);
        assertTrue(((String) failed.get("error")).startsWith("Gave up after 5 attempts"), failed.toString());
        assertNull(failed.get("downloadUrl"));
    }

    static URI wsUri(ServiceProcess media) {
        return URI.create("ws://127.0.0.1:" + media.port() + "/api/notifications");
    }

    static WebSocket connect(ServiceProcess media, String header, String value, Listener listener) {
        WebSocket socket = HTTP.newWebSocketBuilder().header(header, value).buildAsync(wsUri(media), listener).join();
        // The socket is registered on open; a ping round trip proves the replica has it.
        socket.sendText("ping", true).join();
        listener.awaitContaining("pong");
        return socket;
    }

    static byte[] download(String url) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    /** Collects the text messages of one WebSocket. */
    static final class Listener implements WebSocket.Listener {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        String awaitContaining(String fragment) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    String message = received.poll(200, TimeUnit.MILLISECONDS);
                    if (message != null && message.contains(fragment)) {
                        return message;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new AssertionError("No WebSocket message containing " + fragment + " within " + PATIENCE);
        }
    }
}
