package dev.clones.worker.config;

import dev.clones.contracts.ReportQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The RabbitMQ connector declares the job queue from attributes in application.properties, which cannot name Java
 * constants; media-service declares the same topology from {@link ReportQueue}. A broker refuses the second of two
 * declarations that differ, so a renamed exchange or queue on one side must fail here, in the build.
 */
class JobQueueAttributesTest {

    private static final String CHANNEL = "mp.messaging.incoming.report-jobs.";
    private static final Properties PROPERTIES = new Properties();

    @BeforeAll
    static void readApplicationProperties() throws IOException {
        try (InputStream in = JobQueueAttributesTest.class.getResourceAsStream("/application.properties")) {
            assertNotNull(in, "application.properties is on the class path");
            PROPERTIES.load(in);
        }
    }

    private static String attribute(String name) {
        return PROPERTIES.getProperty(CHANNEL + name);
    }

    @Test
    void theConsumerBindsTheQueueOfTheContractToItsExchangeForBothKindsOfJob() {
        assertEquals(ReportQueue.EXCHANGE, attribute("exchange.name"));
        assertEquals(ReportQueue.EXCHANGE_TYPE, attribute("exchange.type"));
        assertEquals(ReportQueue.REPORT_ROUTING_KEY + "," + ReportQueue.MAINTENANCE_ROUTING_KEY, attribute("routing-keys"));
        assertEquals(ReportQueue.QUEUE, attribute("queue.name"));
        assertEquals(ReportQueue.QUEUE_TYPE, attribute("queue.x-queue-type"));
    }

    @Test
    void deadLettersGoWhereTheContractSends() {
        assertEquals(ReportQueue.DEAD_LETTER_EXCHANGE, attribute("dead-letter-exchange"));
        assertEquals(ReportQueue.EXCHANGE_TYPE, attribute("dead-letter-exchange-type"));
        assertEquals(ReportQueue.DEAD_LETTER_ROUTING_KEY, attribute("dead-letter-routing-key"));
        assertEquals(ReportQueue.DEAD_LETTER_QUEUE, attribute("dead-letter-queue-name"));
        assertEquals(ReportQueue.deadLetterQueueArguments().get("x-queue-type"), attribute("dead-letter-queue-type"));
    }

    @Test
    void theBrokersDeliveryLimitIsTheWorkersAttemptsAsInTheArgumentMap() {
        assertEquals("${worker.retry.max-attempts}", attribute("queue.x-delivery-limit"));
        assertEquals("report-jobs-arguments", attribute("queue.arguments"));
    }
}
