package dev.clones.auth.rest;

import dev.clones.auth.service.AccountService;
import dev.clones.common.session.CurrentSession;
import dev.clones.common.session.Session;
import dev.clones.common.session.SessionStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.Optional;

@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final AccountService accounts;
    private final SessionStore sessions;
    private final CurrentSession current;
    private final SessionCookies cookies;

    public AuthResource(AccountService accounts, SessionStore sessions, CurrentSession current, SessionCookies cookies) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.current = current;
        this.cookies = cookies;
    }

    @POST
    @Path("/register")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an account")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "Email taken")
    @APIResponse(responseCode = "429", description = "Too many registrations from this client address")
    public Uni<RestResponse<UserView>> register(@Valid @NotNull RegisterRequest request, HttpServerRequest http) {
        return accounts.register(request.email(), request.password(), request.displayName(), clientAddress(http))
                .map(user -> RestResponse.status(RestResponse.Status.CREATED, UserView.of(user)));
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Log in: creates a session in Redis and sets the session cookie; ends the session the request carried")
    @APIResponse(responseCode = "401", description = "Unknown email or wrong password (same answer)")
    @APIResponse(responseCode = "429", description = "Too many failed logins")
    public Uni<RestResponse<LoginResponse>> login(@Valid @NotNull LoginRequest request, HttpServerRequest http) {
        // Read now: the request scope is not to be relied on once the chain below resumes on another thread.
        Optional<Session> carried = current.get();
        return accounts.login(request.email(), request.password(), clientAddress(http), http.getHeader("User-Agent"))
                // A login never leaves the session it came with alive (whoever's it was): a session id planted
                // or seen before the login does not become, or stay, a way in.
                .flatMap(result -> carried.map(old -> sessions.revoke(old.userId(), old.id()).replaceWith(result))
                        .orElseGet(() -> Uni.createFrom().item(result)))
                .map(result -> RestResponse.ResponseBuilder
                        .ok(new LoginResponse(UserView.of(result.user()), result.session().token(),
                                result.session().session().absoluteExpiry()))
                        .header("Set-Cookie", cookies.issue(result.session().token()))
                        .build());
    }

    @POST
    @Path("/logout")
    @Operation(summary = "Delete the current session everywhere and clear the cookie")
    public Uni<RestResponse<Void>> logout() {
        Session session = current.require();
        return sessions.revoke(session.userId(), session.id())
                .map(ignored -> {
                    RestResponse.ResponseBuilder<Void> response = RestResponse.ResponseBuilder.noContent();
                    cookies.clear().forEach(cookie -> response.header("Set-Cookie", cookie));
                    return response.header("Clear-Site-Data", "\"cookies\"").build();
                });
    }

    @GET
    @Path("/me")
    @Operation(summary = "The logged-in user (refreshes the idle timeout)")
    public Uni<UserView> me() {
        return accounts.profile(current.require().userId()).map(UserView::of);
    }

    @PATCH
    @Path("/me")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the display name")
    public Uni<UserView> updateMe(@Valid @NotNull ProfileUpdate update) {
        return accounts.rename(current.require().userId(), update.displayName()).map(UserView::of);
    }

    /**
     * The client's address: the peer's, or the one a trusted proxy forwarded ({@code quarkus.http.proxy.trusted-proxies};
     * from any other peer, forwarded headers are ignored, so a client cannot choose the address it is counted under).
     */
    private static String clientAddress(HttpServerRequest http) {
        return http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
    }
}
