package dev.clones.media.avatars;

import java.util.Optional;

/**
 * The image formats accepted as avatars, recognised by their leading bytes: the Content-Type a client sends
 * is a claim, the bytes are the fact.
 */
public enum ImageFormat {
    PNG("image/png"),
    JPEG("image/jpeg"),
    GIF("image/gif"),
    WEBP("image/webp");

    /** Bytes needed to tell the formats apart. */
    public static final int SIGNATURE_LENGTH = 12;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final String mediaType;

    ImageFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    public static Optional<ImageFormat> detect(byte[] bytes, int length) {
        if (startsWith(bytes, length, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
            return Optional.of(JPEG);
        }
        if (startsWith(bytes, length, "GIF87a".getBytes()) || startsWith(bytes, length, "GIF89a".getBytes())) {
            return Optional.of(GIF);
        }
        if (length >= 12 && startsWith(bytes, length, "RIFF".getBytes())
                && bytes[8] == 'W' && bytes[9] == 'E' && bytes[10] == 'B' && bytes[11] == 'P') {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
