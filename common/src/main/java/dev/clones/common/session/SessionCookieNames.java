package dev.clones.common.session;

import dev.clones.common.config.ClonesConfig;

import java.util.List;

/**
 * The name the session cookie is issued under and the names a request's cookie is accepted under, from
 * {@link ClonesConfig.Session}: {@code __Host-SID} when the cookie is {@code Secure}, with {@code SID} still accepted
 * during the transition; {@code SID} alone on a plain-HTTP stack (browsers refuse a {@code __Host-} cookie without
 * {@code Secure}).
 */
public record SessionCookieNames(String issued, List<String> accepted) {

    public static final String HOST_PREFIX = "__Host-";

    public static SessionCookieNames of(ClonesConfig.Session config) {
        if (!config.cookieSecure()) {
            return new SessionCookieNames(config.cookieName(), List.of(config.cookieName()));
        }
        String prefixed = HOST_PREFIX + config.cookieName();
        return new SessionCookieNames(prefixed,
                config.acceptUnprefixedCookie() ? List.of(prefixed, config.cookieName()) : List.of(prefixed));
    }
}
