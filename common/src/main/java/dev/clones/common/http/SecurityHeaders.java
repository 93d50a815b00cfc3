package dev.clones.common.http;

import dev.clones.common.config.ClonesConfig;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The headers every response of an API carries, framework errors and health checks included (a Vert.x route of
 * its own, ahead of everything, as {@link RequestHeaders}):
 * <ul>
 *   <li>{@code X-Content-Type-Options: nosniff}: a browser never runs a JSON answer (or a stored file's bytes) as
 *   something else;</li>
 *   <li>{@code Referrer-Policy: no-referrer}: URLs, some of them signed, never leak to another site;</li>
 *   <li>{@code Content-Security-Policy: default-src 'none'; base-uri 'none'; frame-ancestors 'none'}: an API answer loads nothing,
 *   sets no base URL (default-src does not cover base-uri) and is framed by nobody;</li>
 *   <li>{@code Strict-Transport-Security} when the session cookie is {@code Secure} (the deployment is behind TLS);</li>
 *   <li>{@code Cache-Control: no-store} unless the resource chose its own: answers are personal or change at any
 *   moment, so no browser or shared cache keeps them. A resource that is public and cacheable (the avatar redirect)
 *   says so itself, and keeps its value.</li>
 * </ul>
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    /** A year, the value HSTS preload lists ask for; only sent where the deployment says it is behind TLS. */
    static final String STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

    private final boolean behindTls;

    public SecurityHeaders(ClonesConfig config) {
        this.behindTls = config.session().cookieSecure();
    }

    void install(@Observes Router router) {
        // Before FrameworkErrors' body check (MIN_VALUE + 1), so that its refusals carry these headers too.
        router.route().order(Integer.MIN_VALUE).handler(this::stamp);
    }

    private void stamp(RoutingContext rc) {
        MultiMap headers = rc.response().headers();
        headers.set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer")
                .set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        if (behindTls) {
            headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
        }
        rc.addHeadersEndHandler(ignored -> {
            if (!headers.contains("Cache-Control")) {
                headers.set("Cache-Control", "no-store");
            }
        });
        rc.next();
    }
}
