package dev.clones.contracts;

/**
 * The Redis keys of media-service that report-worker's maintenance sweep works on: it deletes objects whose
 * reservation in {@link #OBJECT_CLEANUP} ran out and whose file record never appeared. media-service names these
 * keys through this class too, so both sides agree by construction.
 */
public final class MediaKeys {

    /** Sorted set object key → deadline (ms): objects that must have a file record by then or be deleted. */
    public static final String OBJECT_CLEANUP = "media:object-cleanup";
    /** Sorted set object key → claim time (ms): entries a sweep took from {@link #OBJECT_CLEANUP} and is deleting. */
    public static final String OBJECT_CLEANUP_CLAIMED = "media:object-cleanup:claimed";
    /** Prefix of {@code media:file:{fileId}}, the hash of a stored file's metadata. */
    public static final String FILE_PREFIX = "media:file:";

    private MediaKeys() {
    }

    public static String file(String fileId) {
        return FILE_PREFIX + fileId;
    }
}
