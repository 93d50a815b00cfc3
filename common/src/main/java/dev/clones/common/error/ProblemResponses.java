package dev.clones.common.error;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.MDC;

import java.util.Map;

/** Builds problem+json responses in one place so every error looks the same. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Response of(int status, String title, String detail, String path) {
        return of(status, title, detail, path, Map.of());
    }

    public static Response of(int status, String title, String detail, String path, Map<String, String> headers) {
        Response.ResponseBuilder builder = Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(problem(status, title, detail, path));
        headers.forEach(builder::header);
        return builder.build();
    }

    public static Problem problem(int status, String title, String detail, String path) {
        Object requestId = MDC.get("requestId");
        return new Problem("about:blank", title, status, detail, path, requestId == null ? null : requestId.toString());
    }

    public static String path(HttpServerRequest request) {
        return request == null ? null : request.path();
    }
}
