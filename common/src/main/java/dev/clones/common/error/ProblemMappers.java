package dev.clones.common.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.stream.Collectors;

/** One mapper per kind of failure; resources never build error bodies themselves. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem problem, HttpServerRequest request) {
        return ProblemResponses.of(problem.status(), problem.title(), problem.detail(),
                ProblemResponses.path(request), problem.headers());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, HttpServerRequest request) {
        String detail = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ProblemMappers::describe)
                .collect(Collectors.joining("; "));
        return ProblemResponses.of(400, "Bad Request", detail, ProblemResponses.path(request));
    }

    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class,
            InvalidFormatException.class, UnrecognizedPropertyException.class})
    public Response malformedJson(JsonProcessingException e, HttpServerRequest request) {
        return ProblemResponses.of(400, "Bad Request", JsonErrors.describe(e), ProblemResponses.path(request));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        Response original = e.getResponse();
        int status = original.getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json, request);
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
        String detail = switch (status) {
            case 404 -> "No resource at " + request.method() + " " + request.path() + ".";
            case 405 -> "Method " + request.method() + " is not allowed on " + request.path() + ".";
            case 406 -> "None of the media types in Accept can be produced here; use application/json.";
            case 415 -> "Content-Type " + request.getHeader("Content-Type") + " is not accepted here.";
            default -> e.getMessage() == null ? title : e.getMessage();
        };
        Response.ResponseBuilder builder = Response.fromResponse(ProblemResponses.of(status, title, detail, request.path()));
        String allow = original.getHeaderString("Allow");
        if (allow != null) {
            builder.header("Allow", allow);
        }
        return builder.build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable failure, HttpServerRequest request) {
        if (failure instanceof ApiProblem problem) {
            return apiProblem(problem, request);
        }
        if (BackingServiceFailures.isUnavailable(failure)) {
            LOG.warnf("Backing service unavailable: %s", failure.toString());
            // A write too few replicas confirmed was made on the primary: saying it changed nothing would be wrong.
            String detail = BackingServiceFailures.isUnconfirmedWrite(failure)
                    ? "The change was made but not yet confirmed by a Redis replica, so it could still be lost; retry the "
                            + "request, which finds it or makes it again."
                    : "A backing service is unavailable; the request changed nothing and may be retried.";
            return ProblemResponses.of(503, "Service Unavailable", detail,
                    ProblemResponses.path(request), java.util.Map.of("Retry-After", "1"));
        }
        LOG.error("Unexpected failure", failure);
        return ProblemResponses.of(500, "Internal Server Error",
                "An unexpected error occurred; quote the request id when reporting it.", ProblemResponses.path(request));
    }

    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // Drop the method and parameter prefix ("register.request.email" -> "email").
        String[] parts = path.split("\\.");
        String field = parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length)) : parts[parts.length - 1];
        return field + ": " + violation.getMessage();
    }
}
