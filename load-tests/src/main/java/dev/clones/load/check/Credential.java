package dev.clones.load.check;

/** A session id as a client sends it: the SID cookie (browsers) or a bearer token (mobile and API clients). */
public record Credential(String sessionId, boolean cookie) {
}
