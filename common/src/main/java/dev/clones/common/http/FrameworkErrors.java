package dev.clones.common.http;

import com.fasterxml.jackson.databind.ObjectMapper;
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

import java.util.Optional;
import org.jboss.logging.MDC;

/**
 * Errors that the HTTP layer answers before any resource runs (no route, body over the limit)
 * still leave as problem+json.
 */
@ApplicationScoped
public class FrameworkErrors {

    private final ObjectMapper json;
    private final Optional<MemorySize> maxBodySize;

    public FrameworkErrors(ObjectMapper json,
                           @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.json = json;
        this.maxBodySize = maxBodySize;
    }

    void install(@Observes Router router) {
        // Runs before Quarkus's own length check, which would answer 413 with an empty body.
        maxBodySize.ifPresent(limit -> router.route().order(Integer.MIN_VALUE + 1).handler(rc -> rejectDeclaredOversize(rc, limit.asLongValue())));
        router.errorHandler(404, rc -> write(rc, 404, "Not Found", "No resource at " + rc.request().method() + " " + rc.request().path() + "."));
        router.errorHandler(405, rc -> write(rc, 405, "Method Not Allowed", "Method " + rc.request().method() + " is not allowed on " + rc.request().path() + "."));
        router.errorHandler(413, rc -> write(rc, 413, "Content Too Large", "The request body is larger than this endpoint accepts."));
        router.errorHandler(400, rc -> write(rc, 400, "Bad Request", "The request could not be read."));
        router.errorHandler(500, rc -> write(rc, 500, "Internal Server Error", "An unexpected error occurred; quote the request id when reporting it."));
    }

    private void rejectDeclaredOversize(RoutingContext rc, long limit) {
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19 && Long.parseLong(length) > limit) {
            rc.response().putHeader(HttpHeaders.CONNECTION, "close");
            write(rc, 413, "Content Too Large", "The request body has " + length + " bytes; at most " + limit + " are accepted here.");
            return;
        }
        rc.next();
    }

    private void write(RoutingContext rc, int status, String title, String detail) {
        HttpServerResponse response = rc.response();
        if (response.headWritten() || response.ended()) {
            return;
        }
        Object requestId = rc.get("requestId");
        if (requestId != null) {
            MDC.put("requestId", requestId.toString());
        }
        Problem problem = ProblemResponses.problem(status, title, detail, rc.request().path());
        try {
            response.setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(json.writeValueAsString(problem));
        } catch (Exception e) {
            response.setStatusCode(status).end();
        }
    }
}
