package dev.clones.media.uploads;

import java.time.Instant;
import java.util.Map;

/**
 * Where and how to upload: {@code PUT uploadUrl} before {@code expiresAt}, sending {@code headers} exactly
 * (they are part of the signature), then {@code POST /api/media/uploads/{id}/complete}.
 */
public record UploadTicketView(String id, String uploadUrl, Instant expiresAt, Map<String, String> headers) {
}
