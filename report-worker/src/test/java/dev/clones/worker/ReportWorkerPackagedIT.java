package dev.clones.worker;

import dev.clones.testing.TestStack;
import dev.clones.testing.quarkus.BackingServersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged artifact as built (the jar here, the native binary with -Pnative) against real Redis, RabbitMQ and
 * S3Proxy: readiness follows the broker connection, and a job published the way media-service publishes it
 * becomes a PDF in object storage (PDFBox and its bundled font metrics are what a native image most easily loses).
 */
@QuarkusIntegrationTest
@WithTestResource(value = BackingServersResource.class, initArgs = {
        @ResourceArg(name = BackingServersResource.SERVERS, value = "redis,rabbitmq,s3"),
        @ResourceArg(name = "worker.storage.bucket", value = WorkerTestbed.BUCKET) })
class ReportWorkerPackagedIT {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    TestStack servers;
    WorkerTestbed bed;

    @BeforeEach
    void helpers() {
        bed = WorkerTestbed.on(servers);
    }

    @AfterEach
    void closeHelpers() {
        bed.close();
    }

    @Test
    void readyOnceConnectedToTheBroker() {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        // The messaging check names the channel it reports on.
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body(containsString("report-jobs"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void publishedJobBecomesAPdfInObjectStorage() throws Exception {
        String user = WorkerTestbed.newId("user");
        String order = "order-" + user;
        bed.seedOrder(user, order, Instant.parse("2025-03-01T10:15:00Z"),
                new Object[] {"TEA-SENCHA-100", "Sencha green tea, 100 g", 3, 850});
        String report = WorkerTestbed.newId("report");

        bed.requestReport(report, user, "orders", "pdf");
        Map<String, String> record = bed.awaitStatus(report, "done", PATIENCE);

        assertEquals("reports/" + report + ".pdf", record.get("objectKey"));
        byte[] pdf = bed.storage.getObjectAsBytes(g -> g.bucket(WorkerTestbed.BUCKET).key(record.get("objectKey"))).asByteArray();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document);
            assertTrue(text.contains(order), text);
            assertTrue(text.contains("25.50"), text);   // 3 × 8.50
        }
    }
}
