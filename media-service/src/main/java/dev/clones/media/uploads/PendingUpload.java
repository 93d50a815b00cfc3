package dev.clones.media.uploads;

import java.time.Instant;

/** A direct upload a client may PUT to {@code objectKey} until {@code expiresAt}, and complete until {@code deadline}. */
public record PendingUpload(String id, String owner, String name, long size, String contentType, String objectKey,
                            Instant expiresAt, Instant deadline) {
}
