package dev.clones.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The next page's address in a paged list's {@code Link} header (RFC 8288), as the tests follow it. */
public final class LinkHeader {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    private LinkHeader() {
    }

    /** The target of {@code rel="next"}, or null when there is no header or no next page. */
    public static String next(String link) {
        if (link == null) {
            return null;
        }
        Matcher next = NEXT.matcher(link);
        return next.find() ? next.group(1) : null;
    }
}
