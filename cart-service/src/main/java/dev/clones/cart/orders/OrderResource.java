package dev.clones.cart.orders;

import dev.clones.cart.access.UserRequired;
import dev.clones.common.paging.PageRequest;
import dev.clones.common.session.CurrentSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

@Path("/api/orders")
@Produces(MediaType.APPLICATION_JSON)
@UserRequired
public class OrderResource {

    private final OrderHistory orders;
    private final CurrentSession current;

    public OrderResource(OrderHistory orders, CurrentSession current) {
        this.orders = orders;
        this.current = current;
    }

    @GET
    @Operation(summary = "The caller's orders, newest first, a page at a time (next page in Link)")
    public Uni<RestResponse<List<OrderView>>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.of(limit, cursor);
        return orders.list(current.require().userId(), page)
                .map(found -> found.map(OrderView::of).toResponse("/api/orders", page.limit()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One of the caller's orders")
    @APIResponse(responseCode = "404", description = "No such order of the caller (also another user's order)")
    public Uni<OrderView> get(@PathParam("id") String id) {
        return orders.find(current.require().userId(), id).map(OrderView::of);
    }
}
