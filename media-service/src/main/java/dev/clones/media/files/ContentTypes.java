package dev.clones.media.files;

import dev.clones.common.error.ApiProblem;

import java.util.Locale;
import java.util.regex.Pattern;

/** The declared type of a file: stored as given and served back with it, so it must be a well-formed media type. */
public final class ContentTypes {

    public static final String BINARY = "application/octet-stream";
    private static final int MAX_LENGTH = 255;
    private static final String TOKEN = "[A-Za-z0-9!#$&^_.+-]+";
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            TOKEN + "/" + TOKEN + "(\\s*;\\s*" + TOKEN + "=(" + TOKEN + "|\"[^\"\\\\\\p{Cntrl}]*\"))*");

    private ContentTypes() {
    }

    /** The type a client declared; none means {@code application/octet-stream}. */
    public static String declared(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return BINARY;
        }
        String trimmed = contentType.strip();
        if (trimmed.length() > MAX_LENGTH || !MEDIA_TYPE.matcher(trimmed).matches()) {
            throw ApiProblem.badRequest("The content type must be a media type such as 'application/pdf' "
                    + "(at most " + MAX_LENGTH + " characters).");
        }
        // type/subtype are case-insensitive: stored lower-case; parameters stay as sent.
        int end = trimmed.indexOf(';');
        end = end < 0 ? trimmed.length() : end;
        return trimmed.substring(0, end).toLowerCase(Locale.ROOT) + trimmed.substring(end);
    }
}
