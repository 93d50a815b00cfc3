package dev.clones.media.files;


import java.time.Instant;

/** A file with a signed URL to download it from object storage, valid until {@code downloadUrlExpiresAt}. */
public record FileDownloadView(String id, String name, long size, String contentType, String sha256, Instant createdAt,
                               String downloadUrl, Instant downloadUrlExpiresAt) {

    static FileDownloadView of(FileService.Download download) {
        var file = download.file();
        return new FileDownloadView(file.id(), file.name(), file.size(), file.contentType(), file.sha256(), file.createdAt(),
                download.url().url(), download.url().expiresAt());
    }
}
