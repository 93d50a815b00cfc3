package dev.clones.contracts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportJobTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void aReportJobReadsTheUsersOwnDataSetNamedLikeItsType() {
        ReportJob job = ReportJob.forReport("orders", "r1", "u1", "pdf", Instant.parse("2025-01-01T12:00:00Z"));
        assertEquals(new ReportJob.Input("redis", "orders", "u1"), job.input());
        assertEquals(ReportJob.VERSION, job.v());
        assertFalse(job.isMaintenance());
    }

    @Test
    void theWireFormatIsTheDocumentedOne() throws Exception {
        ReportJob job = ReportJob.forReport("cart", "r1", "u1", "csv", Instant.parse("2025-01-01T12:00:00Z"));
        assertEquals("{\"v\":1,\"type\":\"cart\",\"id\":\"r1\",\"userId\":\"u1\",\"format\":\"csv\","
                        + "\"requestedAt\":\"2025-01-01T12:00:00Z\",\"input\":{\"store\":\"redis\",\"dataset\":\"cart\",\"owner\":\"u1\"}}",
                json.writeValueAsString(job));
    }

    @Test
    void unknownFieldsAreIgnoredSoPublishersMayAddSomeFirst() throws Exception {
        ReportJob job = json.readValue("{\"v\":2,\"type\":\"maintenance\",\"id\":\"m1\",\"priority\":3,"
                + "\"input\":{\"store\":\"redis\",\"shard\":7}}", ReportJob.class);
        assertTrue(job.isMaintenance());
        assertEquals(2, job.v());
        assertEquals("redis", job.input().store());
    }

    @Test
    void aMessageWithoutVersionSaysSo() throws Exception {
        assertNull(json.readValue("{\"type\":\"orders\"}", ReportJob.class).v());
    }

    @Test
    void statusesTravelAsTheirLowerCaseNames() {
        assertEquals("queued", ReportStatus.QUEUED.wireName());
        assertEquals(ReportStatus.FAILED, ReportStatus.fromWire("failed").orElseThrow());
        assertTrue(ReportStatus.fromWire("FAILED").isEmpty());
        assertTrue(ReportStatus.DONE.isFinal());
        assertFalse(ReportStatus.RUNNING.isFinal());
    }

    @Test
    void theJobQueueDeadLettersToTheDeclaredDeadLetterExchange() {
        var arguments = ReportQueue.queueArguments(5, 10_000);
        assertEquals(ReportQueue.DEAD_LETTER_EXCHANGE, arguments.get("x-dead-letter-exchange"));
        assertEquals(5L, arguments.get("x-delivery-limit"));
        assertEquals("reject-publish", arguments.get("x-overflow"));
    }
}
