package dev.clones.cart.cart;


import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The cart's ETag is its version in quotes; If-Match is compared strongly (RFC 9110), {@code *} matches any. */
final class IfMatch {

    private static final Pattern STRONG_VERSION_TAG = Pattern.compile("\"(\\d{1,18})\"");

    private IfMatch() {
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** No header: no condition. A header naming no version of ours (W/"3", "abc") never matches: 412. */
    static VersionCheck parse(String header) {
        if (header == null || header.isBlank()) {
            return VersionCheck.ANY;
        }
        List<Long> versions = new ArrayList<>();
        for (String tag : header.split(",")) {
            String trimmed = tag.trim();
            if (trimmed.equals("*")) {
                return VersionCheck.ANY;
            }
            var matcher = STRONG_VERSION_TAG.matcher(trimmed);
            if (matcher.matches()) {
                versions.add(Long.parseLong(matcher.group(1)));
            }
        }
        return VersionCheck.oneOf(versions);
    }
}
