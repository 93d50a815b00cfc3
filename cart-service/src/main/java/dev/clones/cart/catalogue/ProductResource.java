package dev.clones.cart.catalogue;

import dev.clones.cart.access.RoleRequired;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;

@Path("/api/products")
@Produces(MediaType.APPLICATION_JSON)
public class ProductResource {

    private final CatalogueCache catalogue;

    public ProductResource(CatalogueCache catalogue) {
        this.catalogue = catalogue;
    }

    @GET
    @Operation(summary = "The catalogue, by sku")
    public Uni<List<Product>> list() {
        return catalogue.list();
    }

    @GET
    @Path("/{sku}")
    @Operation(summary = "One product")
    @APIResponse(responseCode = "404", description = "No such product")
    public Uni<Product> get(@PathParam("sku") String sku) {
        return catalogue.find(sku);
    }

    @PUT
    @Path("/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RoleRequired("admin")
    @Operation(summary = "Change a product's name and price (admin); answers once every replica serves the change",
            description = "Products are created only by the bundled catalogue: an unknown sku is a 404.")
    @APIResponse(responseCode = "400", description = "Invalid name or price")
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "404", description = "No such product")
    public Uni<Product> update(@PathParam("sku") String sku, @Valid @NotNull ProductUpdate update) {
        return catalogue.update(sku, update.name().strip(), update.priceCents());
    }
}
