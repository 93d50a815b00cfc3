package dev.clones.worker;

import dev.clones.contracts.NotificationKeys;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two workers on one queue, fed the way media-service feeds them: report records in Redis, persistent job
 * messages on the exchange, cart-service's data in its own keys.
 */
class ReportJobsIT {

    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static WorkerTestbed bed;
    static ServiceProcess workerA;
    static ServiceProcess workerB;

    @BeforeAll
    static void start() {
        bed = WorkerTestbed.start();
        // One job at a time each, and a little slow, so that a batch of jobs has to spread over both.
        Map<String, String> env = Map.of("WORKER_CONCURRENCY", "1", "WORKER_RENDER_DELAY", "PT0.3S",
                // Leftover objects count as such at once (in production after 10 minutes).
                "WORKER_MAINTENANCE_ORPHAN_GRACE", "PT0S");
        workerA = bed.startWorker("worker-a", env);
        workerB = bed.startWorker("worker-b", env);
    }

    @AfterAll
    static void stop() {
        bed.close();
    }

    @Test
    void ordersReportBecomesAPdfTableWithTheTotalsAndIsAnnounced() throws Exception {
        String user = WorkerTestbed.newId("user");
        bed.seedOrder(user, "order-1-" + user, Instant.parse("2025-03-01T10:15:00Z"),
                new Object[] {"TEA-SENCHA-100", "Sencha green tea, 100 g", 2, 850},
                new Object[] {"TEA-MATCHA-30", "Ceremonial matcha, 30 g", 1, 2450});
        bed.seedOrder(user, "order-2-" + user, Instant.parse("2025-03-02T09:00:00Z"),
                new Object[] {"TEA-ASSAM-250", "Assam breakfast tea, 250 g", 100, 1290});
        String report = WorkerTestbed.newId("report");

        try (RedisSubscription events = RedisSubscription.subscribe(bed.redis.port(), NotificationKeys.live(user))) {
            bed.requestReport(report, user, "orders", "pdf");
            String event = events.awaitMessageContaining(report, PATIENCE);
            assertTrue(event.contains("\"userId\":\"" + user + "\""), event);
            assertTrue(event.contains("\"type\":\"report.done\""), event);

            Map<String, String> record = bed.record(report);
            assertEquals("done", record.get("status"));
            assertEquals("reports/" + report + ".pdf", record.get("objectKey"));
            assertNotNull(record.get("finishedAt"));

            byte[] pdf = download(downloadUrl(event));
            try (PDDocument document = Loader.loadPDF(pdf)) {
                String text = new PDFTextStripper().getText(document);
                assertTrue(text.contains("Orders report"), text);
                assertTrue(text.contains("order-1-" + user) && text.contains("order-2-" + user), text);
                assertTrue(text.contains("Ceremonial matcha, 30 g"), text);
                // 2×8.50 + 24.50 = 41.50; 100×12.90 = 1,290.00; together 1,331.50
                assertTrue(text.contains("41.50"), text);
                assertTrue(text.contains("1,290.00"), text);
                assertTrue(text.matches("(?s).*Grand total\\s+1,331\\.50.*"), text);
            }
        }
    }

    @Test
    void ordersReportAsCsvIsOneRfc4180LinePerOrderLine() throws Exception {
        String user = WorkerTestbed.newId("user");
        bed.seedOrder(user, "order-a-" + user, Instant.parse("2025-01-01T00:00:00Z"),
                new Object[] {"TEA-EARLGREY-100", "Earl Grey, \\\"the\\\" classic", 3, 790});
        bed.seedOrder(user, "order-b-" + user, Instant.parse("2025-01-02T00:00:00Z"),
                new Object[] {"TEA-CHAI-200", "Masala chai blend, 200 g", 1, 990},
                new Object[] {"TEA-OOLONG-50", "=cmd|' /C calc'!A0", 2, 1180});
        String report = WorkerTestbed.newId("report");

        bed.requestReport(report, user, "orders", "csv");
        bed.awaitStatus(report, "done", PATIENCE);

        String csv = objectText("reports/" + report + ".csv");
        assertTrue(csv.contains("\r\n"), "RFC 4180 line ends");
        List<CSVRecord> rows;
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv))) {
            rows = parser.getRecords();
        }
        assertEquals(3, rows.size());
        // Newest order first.
        assertEquals("order-b-" + user, rows.get(0).get("order_id"));
        assertEquals("3350", rows.get(0).get("order_total_cents"));
        assertEquals("'=cmd|' /C calc'!A0", rows.get(1).get("name"), "formula cells are defused");
        assertEquals("2360", rows.get(1).get("line_total_cents"));
        assertEquals("Earl Grey, \"the\" classic", rows.get(2).get("name"));
        assertEquals("2370", rows.get(2).get("order_total_cents"));
        assertEquals("2025-01-01T00:00:00Z", rows.get(2).get("order_created_at"));
    }

    @Test
    void cartReportIsPricedWithTheCatalogueInBothFormats() throws Exception {
        String user = WorkerTestbed.newId("user");
        bed.seedProduct("TEA-ROOIBOS-100", "Rooibos vanilla, 100 g", 690);
        bed.seedProduct("TEA-JASMINE-50", "Jasmine pearls (\u8309\u8389), 50 g", 1550);
        bed.seedCartLine(user, "TEA-ROOIBOS-100", 4);
        bed.seedCartLine(user, "TEA-JASMINE-50", 1);
        bed.seedCartLine(user, "TEA-GONE-1", 2);
        String pdfReport = WorkerTestbed.newId("report");
        String csvReport = WorkerTestbed.newId("report");

        bed.requestReport(pdfReport, user, "cart", "pdf");
        bed.requestReport(csvReport, user, "cart", "csv");
        bed.awaitStatus(pdfReport, "done", PATIENCE);
        bed.awaitStatus(csvReport, "done", PATIENCE);

        try (PDDocument document = Loader.loadPDF(objectBytes("reports/" + pdfReport + ".pdf"))) {
            String text = new PDFTextStripper().getText(document);
            assertTrue(text.matches("(?s).*Cart total\\s+43\\.10.*"), text);
            assertTrue(text.contains("Jasmine pearls (??), 50 g"), "unprintable characters are replaced: " + text);
            assertTrue(text.contains("TEA-GONE-1"), "a product no longer sold is named: " + text);
        }
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(objectText("reports/" + csvReport + ".csv")))) {
            List<CSVRecord> rows = parser.getRecords();
            assertEquals(2, rows.size());
            assertEquals("Jasmine pearls (\u8309\u8389), 50 g", rows.get(0).get("name"), "CSV keeps UTF-8 text as it is");
            assertEquals(4310, rows.stream().mapToLong(r -> Long.parseLong(r.get("line_total_cents"))).sum());
        }
    }

    @Test
    void aRedeliveredJobOfAFinishedReportIsAcknowledgedWithoutRedoingIt() {
        String user = WorkerTestbed.newId("user");
        bed.seedOrder(user, WorkerTestbed.newId("order"), Instant.now(), new Object[] {"TEA-SENCHA-100", "Sencha", 1, 850});
        String report = WorkerTestbed.newId("report");
        bed.requestReport(report, user, "orders", "pdf");
        Map<String, String> done = bed.awaitStatus(report, "done", PATIENCE);
        Instant stored = bed.objects("reports/" + report).getFirst().lastModified();

        bed.publish("report", WorkerTestbed.reportJob(report, user, "orders", "pdf"));
        bed.awaitQueueEmpty(WorkerTestbed.QUEUE, PATIENCE);

        assertEquals(done, bed.record(report), "the record was not touched");
        assertEquals(1, bed.objects("reports/" + report).size());
        assertEquals(stored, bed.objects("reports/" + report).getFirst().lastModified(), "the object was not rewritten");
    }

    @Test
    void aJobWhoseReportIsGoneIsDroppedQuietly() {
        long deadBefore = bed.readyMessages(WorkerTestbed.DEAD_LETTERS);
        String report = WorkerTestbed.newId("report");

        bed.publish("report", WorkerTestbed.reportJob(report, "nobody", "orders", "csv"));

        bed.awaitQueueEmpty(WorkerTestbed.QUEUE, PATIENCE);
        assertTrue(bed.objects("reports/" + report).isEmpty());
        assertEquals(deadBefore, bed.readyMessages(WorkerTestbed.DEAD_LETTERS));
        assertFalse(bed.redis.command("EXISTS", "report:" + report).equals("1"), "no record is made up");
    }

    @Test
    void twoWorkersShareTheQueueAndBothDoWork() {
        String user = WorkerTestbed.newId("user");
        bed.seedOrder(user, WorkerTestbed.newId("order"), Instant.now(), new Object[] {"TEA-SENCHA-100", "Sencha", 1, 850});
        List<String> reports = java.util.stream.IntStream.range(0, 8).mapToObj(i -> WorkerTestbed.newId("report")).toList();
        for (String report : reports) {
            bed.createReportRecord(report, user, "orders", "csv");
        }
        bed.publish("report", reports.stream().map(r -> WorkerTestbed.reportJob(r, user, "orders", "csv")).toArray(String[]::new));

        Set<String> workers = new HashSet<>();
        for (String report : reports) {
            workers.add(bed.awaitStatus(report, "done", PATIENCE).get("worker"));
        }
        assertEquals(Set.of("report-worker/worker-a", "report-worker/worker-b"), workers);
    }

    @Test
    void aJobThatAlwaysFailsEndsFailedAfterTheConfiguredAttemptsAndIsDeadLettered() {
        String user = WorkerTestbed.newId("user");
        // cart-service's order list is not a list: every attempt fails the same way (WRONGTYPE).
        bed.redis.command("SET", "user-orders:" + user, "not a list");
        long deadBefore = bed.readyMessages(WorkerTestbed.DEAD_LETTERS);
        String report = WorkerTestbed.newId("report");

        bed.requestReport(report, user, "orders", "pdf");

        Map<String, String> failed = bed.awaitStatus(report, "failed", PATIENCE);
        assertEquals(String.valueOf(WorkerTestbed.MAX_ATTEMPTS), failed.get("attempts"));
        assertTrue(failed.get("error").startsWith("Gave up after " + WorkerTestbed.MAX_ATTEMPTS + " attempts: "), failed.get("error"));
        assertTrue(failed.get("error").contains("WRONGTYPE"), failed.get("error"));
        await().atMost(PATIENCE).until(() -> bed.readyMessages(WorkerTestbed.DEAD_LETTERS) == deadBefore + 1);
        bed.awaitQueueEmpty(WorkerTestbed.QUEUE, PATIENCE);
        assertTrue(bed.objects("reports/" + report).isEmpty());
    }

    @Test
    void anInvalidJobIsDeadLetteredAtOnceAndItsReportFailed() {
        String user = WorkerTestbed.newId("user");
        long deadBefore = bed.readyMessages(WorkerTestbed.DEAD_LETTERS);
        String report = WorkerTestbed.newId("report");
        bed.createReportRecord(report, user, "orders", "pdf");

        bed.publish("report", WorkerTestbed.reportJob(report, user, "orders", "docx"), "this is not json");

        Map<String, String> failed = bed.awaitStatus(report, "failed", PATIENCE);
        assertEquals("The job was invalid: Unknown report format 'docx'.", failed.get("error"));
        await().atMost(PATIENCE).until(() -> bed.readyMessages(WorkerTestbed.DEAD_LETTERS) == deadBefore + 2);
        bed.awaitQueueEmpty(WorkerTestbed.QUEUE, PATIENCE);
    }

    @Test
    void aHalfFinishedReportIsRedoneCleanly() throws Exception {
        String user = WorkerTestbed.newId("user");
        bed.seedOrder(user, WorkerTestbed.newId("order"), Instant.now(), new Object[] {"TEA-SENCHA-100", "Sencha", 3, 850});
        String report = WorkerTestbed.newId("report");
        // What a worker killed between writing the object and recording done leaves behind.
        bed.createReportRecord(report, user, "orders", "pdf");
        bed.redis.command("HSET", "report:" + report, "status", "running", "attempts", "1", "worker", "report-worker/crashed");
        bed.putObject("reports/" + report + ".pdf", "half a PDF");

        bed.publish("report", WorkerTestbed.reportJob(report, user, "orders", "pdf"));

        bed.awaitStatus(report, "done", PATIENCE);
        assertEquals(1, bed.objects("reports/" + report).size(), "one object, whatever happened before");
        try (PDDocument document = Loader.loadPDF(objectBytes("reports/" + report + ".pdf"))) {
            assertTrue(new PDFTextStripper().getText(document).matches("(?s).*Grand total\\s+25\\.50.*"));
        }
    }

    @Test
    void maintenanceRunTwiceAtOnceRemovesLeftoversAndNothingInUse() {
        String user = WorkerTestbed.newId("user");
        bed.seedOrder(user, WorkerTestbed.newId("order"), Instant.now(), new Object[] {"TEA-SENCHA-100", "Sencha", 1, 850});
        String inUse = WorkerTestbed.newId("report");
        bed.requestReport(inUse, user, "orders", "csv");
        bed.awaitStatus(inUse, "done", PATIENCE);
        String orphan = WorkerTestbed.newId("report");
        bed.putObject("reports/" + orphan + ".pdf", "its record expired");
        long twoHoursAgo = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
        String abandoned = WorkerTestbed.newId("report");
        bed.createReportRecord(abandoned, user, "orders", "pdf");
        bed.redis.command("HSET", "report:" + abandoned, "status", "running", "updatedAt", Long.toString(twoHoursAgo));
        String busy = WorkerTestbed.newId("report");
        bed.createReportRecord(busy, user, "cart", "pdf");
        bed.redis.command("HSET", "report:" + busy, "status", "running");
        String lost = WorkerTestbed.newId("report");
        bed.createReportRecord(lost, user, "cart", "csv");
        long twoDaysAgo = System.currentTimeMillis() - Duration.ofDays(2).toMillis();
        bed.redis.command("HSET", "report:" + lost, "createdAt", Long.toString(twoDaysAgo), "updatedAt", Long.toString(twoDaysAgo));
        bed.redis.command("ZADD", "user-reports:" + user, "1", "expired-long-ago");
        long deadBefore = bed.readyMessages(WorkerTestbed.DEAD_LETTERS);

        try (RedisSubscription events = RedisSubscription.subscribe(bed.redis.port(), NotificationKeys.live(user))) {
            // Two runs at once, one on each worker.
            bed.publish("maintenance", WorkerTestbed.maintenanceJob(), WorkerTestbed.maintenanceJob());
            bed.awaitQueueEmpty(WorkerTestbed.QUEUE, PATIENCE);

            assertTrue(bed.objects("reports/" + orphan).isEmpty(), "the leftover object is gone");
            assertEquals(1, bed.objects("reports/" + inUse).size(), "the object a report points at stays");
            assertEquals("done", bed.status(inUse));
            assertEquals("failed", bed.status(abandoned));
            assertTrue(bed.record(abandoned).get("error").startsWith("Abandoned: no worker finished it"), bed.record(abandoned).toString());
            assertEquals("running", bed.status(busy), "a report being worked on is left alone");
            assertEquals("failed", bed.status(lost));
            assertEquals(null, bed.redis.command("ZSCORE", "user-reports:" + user, "expired-long-ago"));
            assertNotNull(bed.redis.command("ZSCORE", "user-reports:" + user, inUse));
            assertEquals(deadBefore, bed.readyMessages(WorkerTestbed.DEAD_LETTERS), "both runs succeeded");

            List<String> heard = events.drain();
            assertEquals(1, heard.stream().filter(e -> e.contains(abandoned)).count(), "failed once, announced once: " + heard);
        }
    }

    @Test
    void maintenanceRemovesMediaLeftoversButNothingAFileRecordOwns() {
        String owner = WorkerTestbed.newId("user");
        String abandoned = "files/" + owner + "/upload-abandoned";
        String completed = "files/" + owner + "/file-completed";
        String pending = "files/" + owner + "/upload-pending";
        String cutOff = "files/" + owner + "/upload-cut-off";
        String halfDone = "files/" + owner + "/claimed-by-a-run-that-died";
        for (String key : List.of(abandoned, completed, pending, halfDone)) {
            bed.putObject(key, "bytes of " + key);
        }
        String uploadId = bed.storage.createMultipartUpload(c -> c.bucket(WorkerTestbed.BUCKET).key(cutOff)).uploadId();
        bed.storage.uploadPart(u -> u.bucket(WorkerTestbed.BUCKET).key(cutOff).uploadId(uploadId).partNumber(1),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[1024]));
        long past = System.currentTimeMillis() - 1_000;
        long future = System.currentTimeMillis() + Duration.ofHours(1).toMillis();
        bed.redis.command("ZADD", "media:object-cleanup", Long.toString(past), abandoned, Long.toString(past), completed,
                Long.toString(future), pending, Long.toString(past), cutOff);
        bed.redis.command("HSET", "media:file:file-completed", "id", "file-completed", "owner", owner, "key", completed);
        bed.redis.command("ZADD", "media:object-cleanup:claimed", Long.toString(past), halfDone);

        bed.publish("maintenance", WorkerTestbed.maintenanceJob(), WorkerTestbed.maintenanceJob());
        bed.awaitQueueEmpty(WorkerTestbed.QUEUE, PATIENCE);

        assertTrue(bed.objects(abandoned).isEmpty(), "an upload never completed is removed after its deadline");
        assertEquals(1, bed.objects(completed).size(), "an object a file record owns stays");
        assertEquals(1, bed.objects(pending).size(), "an upload still allowed to complete stays");
        assertTrue(bed.objects(halfDone).isEmpty(), "a claim left by a dead run is finished");
        assertTrue(bed.storage.listMultipartUploads(l -> l.bucket(WorkerTestbed.BUCKET).prefix(cutOff)).uploads().isEmpty(),
                "the parts of an upload cut off by a crash are freed");
        assertEquals(List.of(pending), bed.redis.commandList("ZRANGE", "media:object-cleanup", "0", "-1").stream()
                .filter(key -> key.contains(owner)).toList());
        assertEquals(List.of(), bed.redis.commandList("ZRANGE", "media:object-cleanup:claimed", "0", "-1"));
    }

    @Test
    void theMaintenanceTriggerCommandPublishesAJobThatAWorkerRuns() throws Exception {
        String orphan = WorkerTestbed.newId("report");
        bed.putObject("reports/" + orphan + ".csv", "left behind");
        Map<String, String> env = bed.workerEnv();

        ProcessBuilder command = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("app.jar"), "publish-maintenance").redirectErrorStream(true);
        command.environment().putAll(env);
        Process trigger = dev.clones.testing.Processes.start(command);
        String output = new String(trigger.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(trigger.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, trigger.exitValue(), output);
        assertTrue(output.contains("Published maintenance job maintenance-"), output);

        await().atMost(PATIENCE).until(() -> bed.objects("reports/" + orphan).isEmpty());
    }

    @Test
    void theJobQueueIsABoundedQuorumQueueWithADeliveryLimitAndADeadLetterQueue() {
        String queues = bed.rabbit.ctl("-q", "list_queues", "name", "type", "durable", "arguments");
        String jobs = queues.lines().filter(line -> line.startsWith(WorkerTestbed.QUEUE + "\t")).findFirst().orElseThrow();
        for (String expected : List.of("quorum", "true", "{\"x-delivery-limit\"," + WorkerTestbed.MAX_ATTEMPTS + "}",
                "{\"x-dead-letter-exchange\",\"reports.dlx\"}", "{\"x-dead-letter-strategy\",\"at-least-once\"}",
                "{\"x-overflow\",\"reject-publish\"}", "{\"x-max-length\",10000}")) {
            assertTrue(jobs.contains(expected), expected + " in " + jobs);
        }
        String deadLetters = queues.lines().filter(line -> line.startsWith(WorkerTestbed.DEAD_LETTERS + "\t")).findFirst().orElseThrow();
        assertTrue(deadLetters.contains("quorum"), deadLetters);
    }

    @Test
    void theWorkerServesOnlyHealthAndMetrics() {
        workerA.http().get("/q/health/ready").then().statusCode(200);
        workerA.http().get("/q/metrics").then().statusCode(200);
        workerA.http().get("/api/reports").then().statusCode(404);
        String metrics = workerA.http().get("/q/metrics").asString() + workerB.http().get("/q/metrics").asString();
        assertTrue(metrics.contains("report_jobs_total"), "job outcomes are counted");
    }

    private static String downloadUrl(String event) {
        Matcher url = Pattern.compile("\"downloadUrl\":\"([^\"]+)\"").matcher(event);
        assertTrue(url.find(), event);
        return url.group(1).replace("\\/", "/");
    }

    private static byte[] download(String url) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        return response.body();
    }

    private static byte[] objectBytes(String key) {
        return bed.storage.getObjectAsBytes(g -> g.bucket(WorkerTestbed.BUCKET).key(key)).asByteArray();
    }

    private static String objectText(String key) {
        return new String(objectBytes(key), StandardCharsets.UTF_8);
    }
}
