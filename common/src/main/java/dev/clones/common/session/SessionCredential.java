package dev.clones.common.session;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.Optional;

/**
 * The session token a request carries: the bearer header wins over the cookie, because a client
 * that sends a header chose it deliberately, while a browser sends cookies on its own.
 */
public record SessionCredential(String token, boolean fromCookie) {

    /** The credential of {@code request}: its bearer token, else the first of {@code cookieNames} it carries. */
    public static Optional<SessionCredential> of(HttpServerRequest request, List<String> cookieNames) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(new SessionCredential(authorization.substring(7).trim(), false));
        }
        for (String name : cookieNames) {
            Cookie cookie = request.getCookie(name);
            if (cookie != null && !cookie.getValue().isEmpty()) {
                return Optional.of(new SessionCredential(cookie.getValue(), true));
            }
        }
        return Optional.empty();
    }
}
