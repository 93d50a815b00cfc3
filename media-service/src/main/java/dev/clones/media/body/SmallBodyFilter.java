package dev.clones.media.body;

import dev.clones.common.error.ApiProblem;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Quarkus' own body limit here is raised to the file limit, for the streaming endpoints. JSON endpoints,
 * whose bodies are parsed in memory, keep a small limit of their own, checked before any byte is read.
 */
public class SmallBodyFilter {

    static final long MAX_BYTES = 16 * 1024;

    @SmallBody
    @ServerRequestFilter
    public void limit(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        if (length == null) {
            if (request.getHeader("Transfer-Encoding") != null) {
                throw new ApiProblem(411, "Length Required", "Send this JSON body with a Content-Length header.");
            }
            return;
        }
        try {
            if (Long.parseLong(length.trim()) > MAX_BYTES) {
                throw new ApiProblem(413, "Content Too Large", "The body has " + length.trim() + " bytes; at most "
                        + MAX_BYTES + " are accepted here.");
            }
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("Content-Length is not a number.");
        }
    }
}
