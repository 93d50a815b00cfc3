package dev.clones.media.files;

import dev.clones.common.paging.PageRequest;
import dev.clones.common.session.CurrentSession;
import dev.clones.media.body.ReadAheadBody;
import dev.clones.media.config.MediaConfig;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Duration;
import java.util.List;

@Path("/api/media/files")
@Produces(MediaType.APPLICATION_JSON)
public class FileResource {

    /** Responses that carry a signed URL are for the caller only. */
    private static final String PRIVATE = "private, no-store";

    private final FileService files;
    private final CurrentSession current;

    private final long readAhead;
    private final Duration readTimeout;

    public FileResource(FileService files, CurrentSession current, MediaConfig config,
                        @ConfigProperty(name = "quarkus.http.read-timeout", defaultValue = "60s") Duration readTimeout) {
        this.files = files;
        this.current = current;
        this.readAhead = config.files().readAhead().asLongValue();
        this.readTimeout = readTimeout;
    }

    /**
     * Blocking on purpose: the body is read as it arrives (never buffered whole) by this worker thread and
     * streamed on to storage. Read through {@link ReadAheadBody} rather than an InputStream parameter, whose
     * one-chunk-at-a-time hand-off from the event loop capped the upload rate.
     */
    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Upload a file: the raw body, its name (percent-encoded UTF-8) in X-File-Name")
    @APIResponse(responseCode = "201", description = "Stored")
    @APIResponse(responseCode = "400", description = "Bad or missing file name or content type")
    @APIResponse(responseCode = "413", description = "Larger than media.files.max-size; nothing is kept")
    public RestResponse<FileView> upload(HttpServerRequest request,
                                         @HeaderParam("X-File-Name") String name,
                                         @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                         @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength) {
        String owner = current.require().userId();
        FileRecord file;
        try (ReadAheadBody body = new ReadAheadBody(request, readAhead, readTimeout)) {
            file = files.upload(owner, name, contentType, contentLength, body);
        }
        return RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, FileView.of(file))
                .header("Location", "/api/media/files/" + file.id())
                .build();
    }

    @GET
    @Operation(summary = "The caller's files, newest first, a page at a time (next page in Link)")
    public Uni<RestResponse<List<FileView>>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.of(limit, cursor);
        return files.list(current.require().userId(), page)
                .map(found -> found.map(FileView::of).toResponse("/api/media/files", page.limit()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One of the caller's files, with a signed download URL")
    @APIResponse(responseCode = "404", description = "No such file of the caller's")
    public Uni<RestResponse<FileDownloadView>> get(@PathParam("id") String id) {
        return files.download(current.require().userId(), id)
                .map(download -> RestResponse.ResponseBuilder.ok(FileDownloadView.of(download))
                        .header("Cache-Control", PRIVATE).build());
    }

    @GET
    @Path("/{id}/content")
    @Operation(summary = "Redirect (302) to a signed download URL of the file")
    @APIResponse(responseCode = "302", description = "Follow Location to download")
    public Uni<RestResponse<Void>> content(@PathParam("id") String id) {
        return files.download(current.require().userId(), id)
                .map(download -> RestResponse.ResponseBuilder.<Void>create(RestResponse.Status.FOUND)
                        .header("Location", download.url().url())
                        .header("Cache-Control", PRIVATE)
                        .build());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete the file: its record at once, its object in storage")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return files.delete(current.require().userId(), id).map(ignored -> RestResponse.<Void>noContent());
    }
}
