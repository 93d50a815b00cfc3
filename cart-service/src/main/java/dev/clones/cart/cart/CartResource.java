package dev.clones.cart.cart;

import dev.clones.cart.access.UserRequired;
import dev.clones.cart.orders.IdempotentCheckout;
import dev.clones.cart.orders.OrderView;
import dev.clones.common.session.CurrentSession;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;

/** The caller's cart. Every answer carries the cart's version as ETag; every change honours If-Match. */
@Path("/api/cart")
@Produces(MediaType.APPLICATION_JSON)
@UserRequired
public class CartResource {

    private final CartService carts;
    private final IdempotentCheckout checkout;
    private final CurrentSession current;

    public CartResource(CartService carts, IdempotentCheckout checkout, CurrentSession current) {
        this.carts = carts;
        this.checkout = checkout;
        this.current = current;
    }

    @GET
    @Operation(summary = "The cart, priced with the current catalogue (empty at version 0 for a user without one)")
    public Uni<RestResponse<PricedCart>> get() {
        return carts.get(userId()).map(CartResource::withETag);
    }

    @POST
    @Path("/items")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add units of a product (adds to the line's quantity)")
    @APIResponse(responseCode = "404", description = "Unknown sku")
    @APIResponse(responseCode = "412", description = "If-Match names another version")
    @APIResponse(responseCode = "422", description = "Over the quantity or line limit")
    public Uni<RestResponse<PricedCart>> add(@Valid @NotNull AddItem item, @HeaderParam("If-Match") String ifMatch) {
        return carts.add(userId(), item.sku(), item.quantity(), IfMatch.parse(ifMatch)).map(CartResource::withETag);
    }

    @PUT
    @Path("/items/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the quantity of a line (0 removes it)")
    @APIResponse(responseCode = "404", description = "Unknown sku")
    @APIResponse(responseCode = "412", description = "If-Match names another version")
    @APIResponse(responseCode = "422", description = "Over the quantity or line limit")
    public Uni<RestResponse<PricedCart>> set(@PathParam("sku") String sku, @Valid @NotNull SetQuantity body,
                                             @HeaderParam("If-Match") String ifMatch) {
        return carts.set(userId(), sku, body.quantity(), IfMatch.parse(ifMatch)).map(CartResource::withETag);
    }

    @DELETE
    @Path("/items/{sku}")
    @Operation(summary = "Remove a line (a line that is not there is not an error)")
    public Uni<RestResponse<PricedCart>> remove(@PathParam("sku") String sku, @HeaderParam("If-Match") String ifMatch) {
        return carts.remove(userId(), sku, IfMatch.parse(ifMatch)).map(CartResource::withETag);
    }

    @DELETE
    @Operation(summary = "Empty the cart")
    public Uni<RestResponse<Void>> clear(@HeaderParam("If-Match") String ifMatch) {
        return carts.clear(userId(), IfMatch.parse(ifMatch))
                .map(version -> RestResponse.ResponseBuilder.<Void>noContent().header("ETag", IfMatch.etag(version)).build());
    }

    @POST
    @Path("/checkout")
    @Operation(summary = "Turn the cart into an order, once per Idempotency-Key",
            description = "The same key again answers the same order (201, with Idempotent-Replayed: true), even when "
                    + "the requests race on different replicas. If-Match is not used here: the key decides.")
    @APIResponse(responseCode = "201", description = "The order (new or replayed)")
    @APIResponse(responseCode = "400", description = "Missing or malformed Idempotency-Key")
    @APIResponse(responseCode = "409", description = "Empty cart")
    @APIResponse(responseCode = "422", description = "The key was used for a different cart")
    public Uni<RestResponse<OrderView>> checkout(@HeaderParam("Idempotency-Key") String idempotencyKey) {
        return checkout.checkout(userId(), idempotencyKey)
                .map(placed -> RestResponse.ResponseBuilder
                        .<OrderView>created(URI.create("/api/orders/" + placed.order().id()))
                        .entity(OrderView.of(placed.order()))
                        .header("Idempotent-Replayed", Boolean.toString(placed.replayed()))
                        .build());
    }

    private String userId() {
        return current.require().userId();
    }

    private static RestResponse<PricedCart> withETag(PricedCart cart) {
        return RestResponse.ResponseBuilder.ok(cart).header("ETag", IfMatch.etag(cart.version())).build();
    }
}
