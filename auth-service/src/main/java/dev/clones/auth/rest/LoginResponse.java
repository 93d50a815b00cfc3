package dev.clones.auth.rest;

import java.time.Instant;

/** {@code expiresAt} is the absolute end of the session; an idle session ends sooner. */
public record LoginResponse(UserView user, String sessionId, Instant expiresAt) {
}
