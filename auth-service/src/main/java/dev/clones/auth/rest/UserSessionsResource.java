package dev.clones.auth.rest;

import dev.clones.auth.repository.UserRepository;
import dev.clones.common.error.ApiProblem;
import dev.clones.common.session.CurrentSession;
import dev.clones.common.session.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * What an administrator does to another user's sessions: end them all, e.g. for an account taken over. Ends them
 * exactly as the user's own "log out everywhere" does, so every replica refuses them once this answers and their
 * WebSockets close.
 */
@Path("/api/auth/users/{userId}/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class UserSessionsResource {

    private final SessionStore sessions;
    private final UserRepository users;
    private final CurrentSession current;

    public UserSessionsResource(SessionStore sessions, UserRepository users, CurrentSession current) {
        this.sessions = sessions;
        this.users = users;
        this.current = current;
    }

    @DELETE
    @Operation(summary = "End every session of a user (admin); effective on every replica at once")
    @APIResponse(responseCode = "403", description = "The caller is not an administrator")
    @APIResponse(responseCode = "404", description = "No such user")
    public Uni<RestResponse<Void>> revokeAll(@PathParam("userId") String userId) {
        current.requireRole("admin");
        return users.findById(userId)
                .flatMap(user -> {
                    if (user == null) {
                        throw ApiProblem.notFound("There is no user " + userId + ".");
                    }
                    return sessions.revokeAll(userId);
                })
                .map(ignored -> RestResponse.<Void>noContent());
    }
}
