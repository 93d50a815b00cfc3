package dev.clones.media.notifications;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clones.common.error.ApiProblem;
import dev.clones.common.paging.Page;
import dev.clones.common.paging.PageRequest;
import dev.clones.common.session.CurrentSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import io.vertx.core.http.HttpServerRequest;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/notifications/events?since=<eventId>}: the kept events the socket would replay, for clients that
 * poll instead of holding a socket (or that check what they missed before opening one). Oldest first, a page at a
 * time like every list; the position is the eventId itself ({@code since}), so the next page's link and a client's
 * own "last seen" are the same thing.
 */
@Path("/api/notifications/events")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationEventsResource {

    static final String PATH = "/api/notifications/events";

    private final NotificationHistory history;
    private final CurrentSession current;

    public NotificationEventsResource(NotificationHistory history, CurrentSession current) {
        this.history = history;
        this.current = current;
    }

    @GET
    @Operation(summary = "Your kept notification events after since (all kept without it), oldest first, a page at a time (next page in Link)")
    @APIResponse(responseCode = "400", description = "since is not an eventId, or limit is out of range")
    @APIResponse(responseCode = "410", description = "The event since names is no longer kept: reload over HTTP and poll again without since")
    public Uni<RestResponse<List<ObjectNode>>> events(@QueryParam("since") String ignored, @QueryParam("limit") String limit,
                                                      @Context HttpServerRequest request) {
        String userId = current.require().userId();
        // Read as the socket's upgrade check reads it: an empty since (?since=) is a malformed one, not none at all.
        // (@QueryParam, declared for the OpenAPI document, answers null for it.)
        String since = request.getParam("since");
        PageRequest page = PageRequest.of(limit, null);
        Optional<EventId> after = Optional.ofNullable(since).map(text -> EventId.parse(text)
                .orElseThrow(() -> ApiProblem.badRequest("since must be an eventId as events carry it (such as 1733580000000-0).")));
        return history.after(userId, after, page.limit()).map(found -> switch (found) {
            case NotificationHistory.Found.Lost lost -> throw new ApiProblem(410, "Gone", "The event " + since
                    + " is no longer kept, nor perhaps some that followed it: reload what you show over HTTP, then poll again without since.");
            case NotificationHistory.Found.Kept kept -> new Page<>(kept.events().stream().map(NotificationHistory.KeptEvent::event).toList(),
                    kept.next().map(EventId::toString)).toResponse(PATH, page.limit(), "since");
        });
    }
}
