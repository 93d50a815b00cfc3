package dev.clones.media.storage;

/**
 * The layout of the bucket. File objects live under their owner, so listing or purging one user's data is
 * a prefix operation; avatars are content-addressed, so an avatar URL can never come to mean other bytes.
 */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    /** {@code files/<owner>/<file id>}: also the key a direct upload PUTs to. */
    public static String file(String owner, String fileId) {
        return "files/" + owner + "/" + fileId;
    }

    /** {@code avatars/<sha256 of the bytes>} */
    public static String avatar(String sha256) {
        return "avatars/" + sha256;
    }
}
