package dev.clones.media.uploads;

import dev.clones.common.session.CurrentSession;
import dev.clones.media.files.FileView;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/media/uploads")
@Produces(MediaType.APPLICATION_JSON)
public class UploadResource {

    private final DirectUploadService uploads;
    private final CurrentSession current;

    public UploadResource(DirectUploadService uploads, CurrentSession current) {
        this.uploads = uploads;
        this.current = current;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a direct upload: a short-lived signed PUT straight to object storage")
    @APIResponse(responseCode = "201", description = "PUT the bytes to uploadUrl with the given headers, then complete")
    @APIResponse(responseCode = "413", description = "size is over media.files.max-size")
    public Uni<RestResponse<UploadTicketView>> start(@Valid @NotNull UploadRequest request) {
        String owner = current.require().userId();
        return uploads.start(owner, request.name(), request.contentType(), request.size())
                .map(ticket -> RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED,
                                new UploadTicketView(ticket.id(), ticket.url(), ticket.expiresAt(), ticket.headers()))
                        .header("Cache-Control", "private, no-store")
                        .build());
    }

    @POST
    @Path("/{id}/complete")
    @Operation(summary = "Record the uploaded file, once storage shows it with the announced size")
    @APIResponse(responseCode = "200", description = "The file")
    @APIResponse(responseCode = "404", description = "No such pending upload of the caller's")
    @APIResponse(responseCode = "409", description = "Nothing, or not the announced size, has been uploaded")
    public Uni<FileView> complete(@PathParam("id") String id) {
        return uploads.complete(current.require().userId(), id).map(FileView::of);
    }
}
