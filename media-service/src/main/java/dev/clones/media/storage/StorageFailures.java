package dev.clones.media.storage;

import dev.clones.common.error.ProblemResponses;
import dev.clones.storage.S3Storage;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.Map;

/**
 * Object storage failures are outages of a shared backing service: 503, retryable on any replica. The SDK's
 * client-side exceptions (timeouts above all) are not recognised as such by common's generic mapper.
 */
public class StorageFailures {

    private static final Logger LOG = Logger.getLogger(StorageFailures.class);
    private static final Map<String, String> RETRY = Map.of("Retry-After", "1");

    /** No answer: connection refused, timed out, broken off. */
    @ServerExceptionMapper
    public Response unreachable(SdkClientException e, HttpServerRequest request) {
        LOG.warnf("Object storage unreachable: %s", e.toString());
        return ProblemResponses.of(503, "Service Unavailable",
                "Object storage is unavailable; nothing was stored and the request may be retried.",
                ProblemResponses.path(request), RETRY);
    }

    /** An error answer: a failing or misconfigured storage server (a missing bucket, refused credentials). */
    @ServerExceptionMapper
    public Response failed(S3Exception e, HttpServerRequest request) {
        if (S3Storage.isOutage(e)) {
            LOG.warnf("Object storage failed: %s", e.toString());
            return ProblemResponses.of(503, "Service Unavailable",
                    "Object storage refused the request (" + e.statusCode() + "); the request may be retried later.",
                    ProblemResponses.path(request), RETRY);
        }
        LOG.error("Unexpected answer from object storage", e);
        return ProblemResponses.of(500, "Internal Server Error",
                "An unexpected error occurred; quote the request id when reporting it.", ProblemResponses.path(request));
    }
}
