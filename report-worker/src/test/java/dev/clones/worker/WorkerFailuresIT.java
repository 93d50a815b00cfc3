package dev.clones.worker;

import dev.clones.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Workers and the broker die mid-job: nothing is lost, nothing is done twice, everybody recovers by itself. */
class WorkerFailuresIT {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    static WorkerTestbed bed;

    @BeforeAll
    static void start() {
        bed = WorkerTestbed.start();
    }

    @AfterAll
    static void stop() {
        bed.close();
    }

    @Test
    void aWorkerKilledMidJobLosesNothingAndTheJobIsFinishedOnceByAnother() {
        String user = WorkerTestbed.newId("user");
        bed.seedOrder(user, WorkerTestbed.newId("order"), Instant.now(), new Object[] {"TEA-SENCHA-100", "Sencha", 2, 850});
        String report = WorkerTestbed.newId("report");
        try (ServiceProcess slow = bed.startWorker("worker-slow", Map.of("WORKER_RENDER_DELAY", "PT30S"))) {
            bed.requestReport(report, user, "orders", "pdf");
            bed.awaitStatus(report, "running", PATIENCE);

            slow.kill();
        }
        assertEquals("running", bed.status(report));
        await().atMost(PATIENCE).until(() -> bed.readyMessages(WorkerTestbed.QUEUE) == 1); // back in the queue

        try (ServiceProcess other = bed.startWorker("worker-other", Map.of())) {
            Map<String, String> done = bed.awaitStatus(report, "done", PATIENCE);
            assertEquals("2", done.get("attempts"), "the broker counted the first delivery");
            assertEquals("report-worker/worker-other", done.get("worker"));
            assertEquals(List.of("reports/" + report + ".pdf"), bed.objects("reports/" + report).stream().map(o -> o.key()).toList());
            bed.awaitQueueEmpty(WorkerTestbed.QUEUE, PATIENCE);
        }
    }

    @Test
    void aBrokerRestartWhileJobsRunLosesNothingAndTheWorkerReconnectsByItself() {
        String user = WorkerTestbed.newId("user");
        bed.seedOrder(user, WorkerTestbed.newId("order"), Instant.now(), new Object[] {"TEA-MATCHA-30", "Matcha", 1, 2450});
        try (ServiceProcess worker = bed.startWorker("worker-steady", Map.of("WORKER_RENDER_DELAY", "PT3S"))) {
            List<String> before = IntStream.range(0, 3).mapToObj(i -> WorkerTestbed.newId("report")).toList();
            before.forEach(report -> bed.requestReport(report, user, "orders", "csv"));
            bed.awaitStatus(before.getFirst(), "running", PATIENCE);

            // Jobs in progress finish while the broker is away; their acknowledgements cannot reach it.
            bed.rabbit.stop();
            await().atMost(PATIENCE).until(() -> !worker.isReady());
            assertTrue(worker.isLive(), "the worker stays alive and waits for the broker");
            bed.rabbit.restart();

            List<String> after = IntStream.range(0, 3).mapToObj(i -> WorkerTestbed.newId("report")).toList();
            after.forEach(report -> bed.requestReport(report, user, "orders", "pdf"));

            for (String report : before) {
                bed.awaitStatus(report, "done", PATIENCE);
            }
            for (String report : after) {
                bed.awaitStatus(report, "done", PATIENCE);
            }
            bed.awaitQueueEmpty(WorkerTestbed.QUEUE, PATIENCE);
            await().atMost(PATIENCE).until(worker::isReady);
            for (String report : before) {
                assertEquals(1, bed.objects("reports/" + report).size());
            }
            assertFalse(bed.objects("reports/").isEmpty());
        }
    }
}
