package dev.clones.worker.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A job as it travels on the queue, self-contained: any worker can run it from this alone.
 *
 * <pre>{@code
 * {"v":1, "type":"orders"|"cart", "id":"<reportId>", "userId":"<userId>", "format":"pdf"|"csv",
 *  "requestedAt":"2025-01-01T12:00:00Z", "input":{"store":"redis", "dataset":"orders"|"cart", "owner":"<userId>"}}
 * {"v":1, "type":"maintenance", "id":"<run id>", "requestedAt":"..."}
 * }</pre>
 * {@code input} says where the data lives: which store, which data set, whose. Unknown fields are ignored,
 * so publishers can add some before every worker knows them. Registered for native images: JobConsumer parses
 * it itself.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobMessage(Integer v, String type, String id, String userId, String format, Instant requestedAt, Input input) {

    public static final String MAINTENANCE = "maintenance";

    public boolean isMaintenance() {
        return MAINTENANCE.equals(type);
    }

    /** Where the report's data is: {@code store} (only "redis"), {@code dataset} ("orders" or "cart"), {@code owner} (a user id). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(String store, String dataset, String owner) {
    }
}
