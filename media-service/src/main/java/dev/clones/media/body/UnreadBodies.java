package dev.clones.media.body;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * An error answer to a request that carried a body ends an HTTP/1.1 connection: the answer may have been
 * given before the body was read to its end (a 413 as soon as a limit is passed, a 415 after the first
 * bytes, a 401 before any), and the unread rest could not be told from the next request. Successful
 * answers come only after the whole body was read, and keep the connection. HTTP/2 resets just the
 * stream, and forbids this header.
 */
public class UnreadBodies {

    @ServerResponseFilter
    public void closeConnection(ContainerResponseContext response, HttpServerRequest request) {
        boolean hasBody = request.getHeader("Transfer-Encoding") != null
                || (request.getHeader("Content-Length") != null && !"0".equals(request.getHeader("Content-Length").trim()));
        if (hasBody && response.getStatus() >= 400 && request.version() != HttpVersion.HTTP_2) {
            response.getHeaders().putSingle("Connection", "close");
        }
    }
}
