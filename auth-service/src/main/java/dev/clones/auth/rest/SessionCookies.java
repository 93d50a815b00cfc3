package dev.clones.auth.rest;

import dev.clones.common.config.ClonesConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code SID} cookie: only the session id, never any session data. */
@ApplicationScoped
public class SessionCookies {

    private final ClonesConfig.Session config;

    public SessionCookies(ClonesConfig config) {
        this.config = config.session();
    }

    public String issue(String token) {
        return cookie(token, config.absoluteTimeout().toSeconds());
    }

    public String clear() {
        return cookie("", 0);
    }

    private String cookie(String value, long maxAgeSeconds) {
        return config.cookieName() + "=" + value + "; Max-Age=" + maxAgeSeconds + "; Path=/; HttpOnly; SameSite=Lax"
                + (config.cookieSecure() ? "; Secure" : "");
    }
}
