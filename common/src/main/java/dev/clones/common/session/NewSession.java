package dev.clones.common.session;

/** A session just created at login: the secret token goes to the client once, never to storage. */
public record NewSession(String token, Session session) {
}
