package dev.clones.media.avatars;

import dev.clones.common.session.CurrentSession;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import java.io.InputStream;

@Path("/api/media/avatar")
@Produces(MediaType.APPLICATION_JSON)
public class AvatarResource {

    private final AvatarService avatars;
    private final CurrentSession current;

    public AvatarResource(AvatarService avatars, CurrentSession current) {
        this.avatars = avatars;
        this.current = current;
    }

    @PUT
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Replace the caller's avatar (PNG, JPEG, WebP or GIF, checked on the bytes)")
    @APIResponse(responseCode = "200", description = "Stored; url is the avatar's stable address")
    @APIResponse(responseCode = "413", description = "Larger than media.avatar.max-size")
    @APIResponse(responseCode = "415", description = "Not one of the accepted image formats")
    public AvatarView replace(InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength) {
        String userId = current.require().userId();
        avatars.replace(userId, contentLength, body);
        return new AvatarView("/api/media/avatar/" + userId);
    }

    /**
     * Anyone may fetch an avatar. The redirect may be cached (publicly, by a CDN too) for a few minutes: that
     * bounds how long a changed avatar takes to show, and is far shorter than the signed URL's validity, so
     * a cached redirect never leads to an expired URL. The target never changes (content-addressed), so its
     * bytes may be cached for good.
     */
    @GET
    @Path("/{userId}")
    @Operation(summary = "Redirect (302) to the user's current avatar")
    @APIResponse(responseCode = "302", description = "Follow Location for the image")
    @APIResponse(responseCode = "404", description = "The user has no avatar")
    public Uni<RestResponse<Void>> current(@PathParam("userId") String userId) {
        return avatars.current(userId)
                .map(url -> RestResponse.ResponseBuilder.<Void>create(RestResponse.Status.FOUND)
                        .header("Location", url.url())
                        .header("Cache-Control", "public, max-age=" + avatars.redirectMaxAgeSeconds())
                        .build());
    }
}
