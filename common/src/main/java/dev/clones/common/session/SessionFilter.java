package dev.clones.common.session;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.error.ApiProblem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;
import java.util.Set;

/**
 * Every service resolves the caller's session from Redis itself, on every request: no replica
 * remembers who is logged in, and no request waits on a call to auth-service.
 */
public class SessionFilter {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final SessionStore store;
    private final CurrentSession current;
    private final ClonesConfig config;
    private final SessionCookieNames cookieNames;

    public SessionFilter(SessionStore store, CurrentSession current, ClonesConfig config) {
        this.store = store;
        this.current = current;
        this.config = config;
        this.cookieNames = SessionCookieNames.of(config.session());
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Void> resolveSession(HttpServerRequest request) {
        Optional<SessionCredential> credential = SessionCredential.of(request, cookieNames.accepted());
        if (credential.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (credential.get().fromCookie() && !SAFE.contains(request.method())) {
            rejectForeignOrigin(request.getHeader("Origin"));
        }
        return store.resolve(credential.get().token())
                .invoke(session -> current.set(session, credential.get()))
                .replaceWithVoid();
    }

    /** Cookies ride along on cross-site requests; a state change from a foreign page is refused (CSRF). */
    private void rejectForeignOrigin(String origin) {
        if (origin != null && !config.http().allowedOrigins().contains(origin)) {
            throw ApiProblem.forbidden("Origin " + origin + " may not make cookie-authenticated changes; "
                    + "allowed origins are configured in clones.http.allowed-origins.");
        }
    }
}
