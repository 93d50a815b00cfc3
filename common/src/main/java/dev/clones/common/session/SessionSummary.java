package dev.clones.common.session;

import java.time.Instant;

/** One line of a user's session list. */
public record SessionSummary(String id, Instant createdAt, Instant lastSeenAt, String userAgent) {
}
