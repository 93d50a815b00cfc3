package dev.clones.auth.rest;

import java.time.Instant;

public record SessionView(String id, Instant createdAt, Instant lastSeenAt, String userAgent, boolean current) {
}
