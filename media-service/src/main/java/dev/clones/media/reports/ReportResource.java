package dev.clones.media.reports;

import dev.clones.common.paging.PageRequest;
import dev.clones.common.error.ApiProblem;
import dev.clones.common.session.CurrentSession;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.regex.Pattern;

@Path("/api/reports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReportResource {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final ReportService reports;
    private final CurrentSession current;

    public ReportResource(ReportService reports, CurrentSession current) {
        this.reports = reports;
        this.current = current;
    }

    @POST
    @Operation(summary = "Request a report of your orders or cart, as PDF or CSV; it is produced in the background")
    @APIResponse(responseCode = "202", description = "Queued: the job is with the broker; poll Location or listen on /api/notifications")
    @APIResponse(responseCode = "422", description = "Idempotency-Key reused for a different request")
    @APIResponse(responseCode = "503", description = "The job queue is unavailable or full; nothing was created")
    public Uni<RestResponse<ReportAccepted>> request(@Valid @NotNull ReportRequest request,
                                                     @HeaderParam("Idempotency-Key") String idempotencyKey) {
        String userId = current.require().userId();
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiProblem.badRequest("Idempotency-Key must be 1 to 128 characters of A-Z a-z 0-9 . _ : -");
        }
        return reports.request(userId, request.type(), request.format(), idempotencyKey)
                .map(report -> RestResponse.ResponseBuilder
                        .create(RestResponse.Status.ACCEPTED, new ReportAccepted(report.id(), report.status()))
                        // Relative, as the API promises: behind the load balancer only the client knows the right origin.
                        .header("Location", "/api/reports/" + report.id())
                        .build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One of your reports, with a signed download URL once it is done")
    @APIResponse(responseCode = "404", description = "No such report (also another user's)")
    public Uni<ReportView> get(@PathParam("id") String id) {
        String userId = current.require().userId();
        return reports.find(userId, id).map(report -> ReportView.of(report, reports.downloadUrl(report)));
    }

    @GET
    @Operation(summary = "Your reports, newest first, a page at a time (next page in Link)")
    public Uni<RestResponse<List<ReportView>>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.of(limit, cursor);
        String userId = current.require().userId();
        return reports.list(userId, page)
                .map(found -> found.map(report -> ReportView.of(report, reports.downloadUrl(report))).toResponse("/api/reports", page.limit()));
    }
}
