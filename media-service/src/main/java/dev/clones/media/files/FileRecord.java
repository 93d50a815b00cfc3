package dev.clones.media.files;

import java.time.Instant;

/**
 * A file as recorded in Redis. A record is written only after its object is complete in storage, so a
 * record always points at a whole object. {@code sha256} is null for direct uploads, whose bytes never
 * passed through the service.
 */
public record FileRecord(String id, String owner, String name, long size, String contentType, String sha256,
                         String objectKey, Instant createdAt) {
}
