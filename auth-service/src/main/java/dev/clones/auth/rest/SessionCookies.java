package dev.clones.auth.rest;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.session.SessionCookieNames;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The session cookie: only the session id, never any session data. {@code __Host-SID} when {@code Secure}, else
 * {@code SID} (see {@link SessionCookieNames}).
 */
@ApplicationScoped
public class SessionCookies {

    private final ClonesConfig.Session config;
    private final SessionCookieNames names;

    public SessionCookies(ClonesConfig config) {
        this.config = config.session();
        this.names = SessionCookieNames.of(this.config);
    }

    public String issue(String token) {
        return cookie(names.issued(), token, config.absoluteTimeout().toSeconds());
    }

    /** Clears every name a session cookie is accepted under, so that no older cookie lingers after a logout. */
    public List<String> clear() {
        return names.accepted().stream().map(name -> cookie(name, "", 0)).toList();
    }

    private String cookie(String name, String value, long maxAgeSeconds) {
        return name + "=" + value + "; Max-Age=" + maxAgeSeconds + "; Path=/; HttpOnly; SameSite=Lax"
                + (config.cookieSecure() ? "; Secure" : "");
    }
}
