package dev.clones.worker.render;

import java.util.Locale;
import java.util.Optional;

/** The file a report becomes. */
public enum ReportFormat {
    PDF("pdf", "application/pdf"),
    /** RFC 4180: comma separated, CRLF line ends, quotes where needed, UTF-8. */
    CSV("csv", "text/csv; charset=utf-8; header=present");

    private final String extension;
    private final String contentType;

    ReportFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReportFormat> fromWire(String name) {
        for (ReportFormat format : values()) {
            if (format.wireName().equals(name)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
