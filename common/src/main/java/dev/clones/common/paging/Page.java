package dev.clones.common.paging;

import org.jboss.resteasy.reactive.RestResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** One page of a list, and the cursor of the next one when there is more. */
public record Page<T>(List<T> items, Optional<String> next) {

    public <R> Page<R> map(Function<T, R> each) {
        return new Page<>(items.stream().map(each).toList(), next);
    }

    /**
     * The page as the API answers it: the items as a JSON array (as before lists were paged), and the next page's
     * address in {@code Link: <path?limit=…&cursor=…>; rel="next"} when there is one (RFC 8288).
     */
    public RestResponse<List<T>> toResponse(String path, int limit) {
        return toResponse(path, limit, "cursor");
    }

    /**
     * As {@link #toResponse(String, int)}, for a list whose position travels in another query parameter than
     * {@code cursor} (the notification events' {@code since}, an id the client also has from elsewhere).
     */
    public RestResponse<List<T>> toResponse(String path, int limit, String cursorParameter) {
        RestResponse.ResponseBuilder<List<T>> response = RestResponse.ResponseBuilder.ok(items);
        next.ifPresent(cursor -> response.header("Link", "<" + path + "?limit=" + limit + "&" + cursorParameter + "="
                + URLEncoder.encode(cursor, StandardCharsets.US_ASCII) + ">; rel=\"next\""));
        return response.build();
    }
}
