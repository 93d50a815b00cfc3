package dev.clones.common.session;

import dev.clones.common.error.ApiProblem;
import jakarta.enterprise.context.RequestScoped;

import java.util.Optional;

/** The session of the request being served, resolved from Redis by {@link SessionFilter}. */
@RequestScoped
public class CurrentSession {

    private Session session;
    private SessionCredential credential;

    void set(Session session, SessionCredential credential) {
        this.session = session;
        this.credential = credential;
    }

    public Optional<Session> get() {
        return Optional.ofNullable(session);
    }

    /** The session, or a 401 problem. */
    public Session require() {
        if (session == null) {
            throw ApiProblem.unauthorized();
        }
        return session;
    }

    /** The session of a user holding {@code role}, or 401 without a session and 403 without the role. */
    public Session requireRole(String role) {
        Session current = require();
        if (!current.hasRole(role)) {
            throw ApiProblem.forbidden("This call needs the role '" + role + "'.");
        }
        return current;
    }

    public boolean viaCookie() {
        return credential != null && credential.fromCookie();
    }
}
