package dev.clones.common.http;

import dev.clones.common.config.ReplicaIdentity;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Stamps every response, including framework errors and health checks, with the request id
 * and the replica that answered, so that anyone can watch the load balancer spread requests
 * and follow one request through the logs of whichever replica served it.
 */
@ApplicationScoped
public class RequestHeaders {

    public static final String REQUEST_ID = "X-Request-Id";
    public static final String SERVED_BY = "X-Served-By";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final String servedBy;

    public RequestHeaders(ReplicaIdentity identity) {
        this.servedBy = identity.servedBy();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::stamp);
    }

    private void stamp(RoutingContext rc) {
        String requestId = rc.request().getHeader(REQUEST_ID);
        if (requestId == null || !SAFE_ID.matcher(requestId).matches()) {
            requestId = UUID.randomUUID().toString();
        }
        rc.put("requestId", requestId);
        MDC.put("requestId", requestId);
        rc.response().putHeader(REQUEST_ID, requestId).putHeader(SERVED_BY, servedBy);
        rc.next();
    }
}
