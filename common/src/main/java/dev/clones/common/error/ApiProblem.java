package dev.clones.common.error;

import java.util.Map;

/**
 * A failure with a public meaning: it becomes an RFC 9457 problem with this status,
 * title and detail. Services throw it; {@link ProblemMappers} writes it.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, String> headers;

    public ApiProblem(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    public ApiProblem(int status, String title, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad Request", detail);
    }

    public static ApiProblem unauthorized() {
        return new ApiProblem(401, "Unauthorized", "A valid session is required: log in and send the SID cookie or an Authorization: Bearer header.");
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "Forbidden", detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", detail);
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(409, "Conflict", detail);
    }

    public static ApiProblem unprocessable(String detail) {
        return new ApiProblem(422, "Unprocessable Content", detail);
    }

    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(503, "Service Unavailable", detail, Map.of("Retry-After", "1"));
    }
}
