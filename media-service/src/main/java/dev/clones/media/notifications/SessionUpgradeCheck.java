package dev.clones.media.notifications;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.session.SessionCookieNames;
import dev.clones.common.session.SessionCredential;
import dev.clones.common.session.SessionStore;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Authenticates a WebSocket upgrade like any API call: the session cookie or a bearer token, resolved in
 * Redis. No session: 401 before any WebSocket exists. A cookie sent from a foreign page is refused (403):
 * browsers attach cookies to cross-site WebSocket handshakes too, and notifications are private.
 */
@ApplicationScoped
public class SessionUpgradeCheck implements HttpUpgradeCheck {

    static final UserData.TypedKey<String> USER_ID = UserData.TypedKey.forString("userId");
    /** The session's handle: the connection lives only as long as the session (see SessionEndWatch). */
    static final UserData.TypedKey<String> SESSION_ID = UserData.TypedKey.forString("sessionId");

    private final SessionStore sessions;
    private final ClonesConfig config;
    private final SessionCookieNames cookieNames;

    public SessionUpgradeCheck(SessionStore sessions, ClonesConfig config) {
        this.sessions = sessions;
        this.config = config;
        this.cookieNames = SessionCookieNames.of(config.session());
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        Optional<SessionCredential> credential = SessionCredential.of(request, cookieNames.accepted());
        if (credential.isEmpty()) {
            return CheckResult.rejectUpgrade(401);
        }
        String origin = request.getHeader("Origin");
        if (credential.get().fromCookie() && origin != null && !config.http().allowedOrigins().contains(origin)) {
            return CheckResult.rejectUpgrade(403);
        }
        return sessions.resolve(credential.get().token())
                .map(session -> {
                    if (session == null) {
                        return CheckResult.rejectUpgradeSync(401);
                    }
                    context.userData().put(USER_ID, session.userId());
                    context.userData().put(SESSION_ID, session.id());
                    return CheckResult.permitUpgradeSync();
                })
                // Redis unreachable: the client may retry, on this replica or another.
                .onFailure().recoverWithItem(CheckResult.rejectUpgradeSync(503));
    }
}
