package dev.clones.media.avatars;

import dev.clones.common.error.ApiProblem;
import dev.clones.media.body.MeasuredBody;
import dev.clones.media.config.MediaConfig;
import dev.clones.media.storage.ObjectKeys;
import dev.clones.media.storage.ObjectStorage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Avatars: small images checked on their bytes, stored under the SHA-256 of their content. An avatar object
 * therefore never changes, which is what lets its URL be cached hard; only the user's pointer to the current
 * one (in Redis) changes.
 */
@ApplicationScoped
public class AvatarService {

    /** The object never changes, so whoever holds its bytes may keep them. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ObjectStorage storage;
    private final AvatarRepository avatars;
    private final MediaConfig.Avatar config;

    public AvatarService(ObjectStorage storage, AvatarRepository avatars, MediaConfig config) {
        this.storage = storage;
        this.avatars = avatars;
        this.config = config.avatar();
        if (this.config.redirectMaxAge().compareTo(this.config.urlTtl().dividedBy(2)) > 0) {
            throw new IllegalArgumentException("media.avatar.redirect-max-age must be at most half of media.avatar.url-ttl, "
                    + "so that a cached redirect never points at an expired URL");
        }
    }

    /**
     * Reads the image (at most the limit, in memory: avatars are small), checks its format on the bytes and
     * makes it the user's avatar. Blocks: runs on a worker thread.
     */
    public void replace(String userId, String contentLength, InputStream body) {
        long limit = config.maxSize().asLongValue();
        MeasuredBody.rejectDeclaredOversize(contentLength, limit);
        MeasuredBody measured = new MeasuredBody(body, limit);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        byte[] chunk = new byte[64 * 1024];
        ImageFormat format = null;
        try {
            for (int n; (n = measured.read(chunk, 0, chunk.length)) >= 0; ) {
                bytes.write(chunk, 0, n);
                if (format == null && bytes.size() >= ImageFormat.SIGNATURE_LENGTH) {
                    // Refuse a non-image at once, without reading the rest.
                    format = detect(bytes.toByteArray(), bytes.size());
                }
            }
        } catch (java.io.IOException e) {
            throw ApiProblem.badRequest("The request body could not be read to its end; nothing was stored.");
        }
        if (format == null) {
            format = detect(bytes.toByteArray(), bytes.size());
        }
        String key = ObjectKeys.avatar(measured.sha256());
        storage.put(key, format.mediaType(), bytes.toByteArray(), bytes.size(), IMMUTABLE);
        avatars.setCurrent(userId, key, format.mediaType()).await().indefinitely();
    }

    /** A signed URL of the user's current avatar; 404 when there is none. Needs no call to storage. */
    public Uni<ObjectStorage.SignedUrl> current(String userId) {
        if (!USER_ID.matcher(userId).matches()) {
            return Uni.createFrom().failure(notFound(userId));
        }
        return avatars.current(userId).map(key -> {
            if (key == null) {
                throw notFound(userId);
            }
            return storage.signedGet(key, config.urlTtl(), null, null, IMMUTABLE);
        });
    }

    /** Seconds a browser or CDN may keep the redirect to the current avatar. */
    public long redirectMaxAgeSeconds() {
        return config.redirectMaxAge().toSeconds();
    }

    private static ImageFormat detect(byte[] bytes, int length) {
        return ImageFormat.detect(bytes, length).orElseThrow(() -> new ApiProblem(415, "Unsupported Media Type",
                "The body is not a PNG, JPEG, WebP or GIF image (checked on its bytes, whatever the Content-Type says)."));
    }

    private static ApiProblem notFound(String userId) {
        return ApiProblem.notFound("User " + userId + " has no avatar.");
    }
}
