package dev.clones.common.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clones.common.config.ClonesConfig;
import dev.clones.common.error.Problem;
import dev.clones.common.error.ProblemResponses;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.quarkus.runtime.configuration.MemorySize;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.MDC;

/**
 * Errors that the HTTP layer answers before any resource runs (no route, body over the limit)
 * still leave as problem+json.
 */
@ApplicationScoped
public class FrameworkErrors {

    private final ObjectMapper json;
    private final long smallBodyLimit;
    private final Set<String> streamingPaths;
    private final Optional<MemorySize> streamingBodyLimit;

    public FrameworkErrors(ObjectMapper json, ClonesConfig config,
                           @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.json = json;
        this.smallBodyLimit = config.http().maxBodySize().asLongValue();
        this.streamingPaths = Set.copyOf(config.http().streamingPaths().orElse(List.of()));
        this.streamingBodyLimit = maxBodySize;
    }

    void install(@Observes Router router) {
        // Runs before Quarkus's own length check, which would answer 413 with an empty body, and before any
        // resource, filter or authentication reads a byte of the body.
        router.route().order(Integer.MIN_VALUE + 1).handler(this::rejectOversize);
        router.errorHandler(404, rc -> write(rc, 404, "Not Found", "No resource at " + rc.request().method() + " " + rc.request().path() + "."));
        router.errorHandler(405, rc -> write(rc, 405, "Method Not Allowed", "Method " + rc.request().method() + " is not allowed on " + rc.request().path() + "."));
        router.errorHandler(413, rc -> write(rc, 413, "Content Too Large", "The request body is larger than this endpoint accepts."));
        router.errorHandler(400, rc -> write(rc, 400, "Bad Request", "The request could not be read."));
        router.errorHandler(500, rc -> write(rc, 500, "Internal Server Error", "An unexpected error occurred; quote the request id when reporting it."));
    }

    /**
     * A body over the limit is refused from its {@code Content-Length} alone: 413, and the connection closes, so the
     * rest of the body is never read (nor taken for the next request). A streaming path has the (large) Quarkus limit;
     * every other path the small one, and there a body without a length (chunked) is refused with 411, because only
     * a declared length can be refused before reading.
     */
    private void rejectOversize(RoutingContext rc) {
        boolean streaming = streamingPaths.contains(rc.request().path());
        Long limit = streaming ? streamingBodyLimit.map(MemorySize::asLongValue).orElse(null) : smallBodyLimit;
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (limit != null && length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                && Long.parseLong(length) > limit) {
            refuse(rc, 413, "Content Too Large", "The request body has " + length + " bytes; at most " + limit + " are accepted here.");
            return;
        }
        if (!streaming && length == null && rc.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            refuse(rc, 411, "Length Required", "Send this request's body with a Content-Length header (at most "
                    + smallBodyLimit + " bytes).");
            return;
        }
        rc.next();
    }

    private void refuse(RoutingContext rc, int status, String title, String detail) {
        rc.response().putHeader(HttpHeaders.CONNECTION, "close");
        rc.response().endHandler(ignored -> rc.request().connection().close());
        write(rc, status, title, detail);
    }

    private void write(RoutingContext rc, int status, String title, String detail) {
        answer(rc, status, title, detail, Map.of());
    }

    /**
     * Answers {@code rc} with a problem+json of that status, for a route handler that refuses a request before any
     * resource runs (as the handlers here do); nothing if a response was started already.
     */
    public void answer(RoutingContext rc, int status, String title, String detail, Map<String, String> headers) {
        HttpServerResponse response = rc.response();
        if (response.headWritten() || response.ended()) {
            return;
        }
        Object requestId = rc.get("requestId");
        if (requestId != null) {
            MDC.put("requestId", requestId.toString());
        }
        Problem problem = ProblemResponses.problem(status, title, detail, rc.request().path());
        headers.forEach(response::putHeader);
        try {
            response.setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(json.writeValueAsString(problem));
        } catch (Exception e) {
            response.setStatusCode(status).end();
        }
    }
}
