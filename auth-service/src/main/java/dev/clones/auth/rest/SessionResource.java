package dev.clones.auth.rest;

import dev.clones.common.error.ApiProblem;
import dev.clones.common.session.CurrentSession;
import dev.clones.common.session.Session;
import dev.clones.common.session.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

@Path("/api/auth/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final SessionStore sessions;
    private final CurrentSession current;

    public SessionResource(SessionStore sessions, CurrentSession current) {
        this.sessions = sessions;
        this.current = current;
    }

    @GET
    @Operation(summary = "The caller's live sessions")
    public Uni<List<SessionView>> list() {
        Session session = current.require();
        return sessions.list(session.userId())
                .map(all -> all.stream()
                        .map(s -> new SessionView(s.id(), s.createdAt(), s.lastSeenAt(), s.userAgent(), s.id().equals(session.id())))
                        .toList());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke one session; effective on every replica at once")
    public Uni<RestResponse<Void>> revoke(@PathParam("id") String id) {
        Session session = current.require();
        return sessions.revoke(session.userId(), id)
                .map(revoked -> {
                    if (!revoked) {
                        throw ApiProblem.notFound("You have no session " + id + ".");
                    }
                    return RestResponse.<Void>noContent();
                });
    }

    @DELETE
    @Operation(summary = "Log out everywhere")
    public Uni<RestResponse<Void>> revokeAll() {
        return sessions.revokeAll(current.require().userId()).map(ignored -> RestResponse.<Void>noContent());
    }
}
