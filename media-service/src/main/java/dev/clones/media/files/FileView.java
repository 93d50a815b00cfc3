package dev.clones.media.files;


import java.time.Instant;

/** A file as clients see it; {@code sha256} is null for direct uploads (their bytes never passed through the service). */
public record FileView(String id, String name, long size, String contentType, String sha256, Instant createdAt) {

    public static FileView of(FileRecord file) {
        return new FileView(file.id(), file.name(), file.size(), file.contentType(), file.sha256(), file.createdAt());
    }
}
