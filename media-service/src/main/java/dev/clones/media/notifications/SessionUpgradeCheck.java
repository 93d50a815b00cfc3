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
 * A {@code since} that is not an eventId is refused (400). Before any of this, {@link NotificationDrain} refuses every
 * upgrade (503, problem+json) while this replica's subscription to the notification channel is not provably live or
 * while it stops.
 */
@ApplicationScoped
public class SessionUpgradeCheck implements HttpUpgradeCheck {

    static final UserData.TypedKey<String> USER_ID = UserData.TypedKey.forString("userId");
    /** The session's handle: the connection lives only as long as the session (see SessionEndWatch). */
    static final UserData.TypedKey<String> SESSION_ID = UserData.TypedKey.forString("sessionId");
    /** The eventId the client resumes after ({@code ?since=}), absent for live events only. Checked here, parsed again on open. */
    static final UserData.TypedKey<String> SINCE = UserData.TypedKey.forString("since");

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
        String since = request.getParam("since");
        if (since != null && EventId.parse(since).isEmpty()) {
            return CheckResult.rejectUpgrade(400);
        }
        return sessions.resolve(credential.get().token())
                .map(session -> {
                    if (session == null) {
                        return CheckResult.rejectUpgradeSync(401);
                    }
                    context.userData().put(USER_ID, session.userId());
                    context.userData().put(SESSION_ID, session.id());
                    if (since != null) {
                        context.userData().put(SINCE, since);
                    }
                    return CheckResult.permitUpgradeSync();
                })
                // Redis unreachable: the client may retry, on this replica or another.
                .onFailure().recoverWithItem(CheckResult.rejectUpgradeSync(503));
    }
}
