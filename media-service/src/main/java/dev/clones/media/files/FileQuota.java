package dev.clones.media.files;

import dev.clones.common.error.ApiProblem;
import dev.clones.media.config.MediaConfig;

/**
 * What one user may keep in storage: {@link MediaConfig.Files#maxFilesPerUser()} files and
 * {@link MediaConfig.Files#maxBytesPerUser()} bytes, counted in Redis beside the user's files (the usage hash and
 * the file index), checked before an upload starts and again, atomically, when its record is written.
 */
public record FileQuota(int maxFiles, long maxBytes) {

    public static FileQuota of(MediaConfig config) {
        return new FileQuota(config.files().maxFilesPerUser(), config.files().maxBytesPerUser().asLongValue());
    }

    /** Which quota a script refused with ({@code files} or {@code bytes}). */
    public enum Exceeded {
        FILES, BYTES;

        /** The script's word for it, or null when the answer is not a refusal. */
        static Exceeded of(String answer) {
            return switch (answer) {
                case "files" -> FILES;
                case "bytes" -> BYTES;
                default -> null;
            };
        }
    }

    /** The problem the client gets: 429 while it has the most files, 413 when the bytes would not fit. */
    public ApiProblem problem(Exceeded exceeded) {
        return switch (exceeded) {
            case FILES -> new ApiProblem(429, "Too Many Requests",
                    "You keep " + maxFiles + " files, the most an account may; delete some before uploading more.");
            case BYTES -> new ApiProblem(413, "Content Too Large",
                    "This file would take your files past " + maxBytes + " bytes, the most an account may keep; delete some first.");
        };
    }
}
