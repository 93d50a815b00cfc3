package dev.clones.common.paging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a page of a newest-first index ended: the score (creation time in ms) and id of its last entry. The next
 * page holds the entries after it in (score desc, id desc) order, so entries added since do not shift it: no item
 * is listed twice or skipped. Written for clients as base64url, opaque.
 */
public record IndexCursor(long score, String id) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((score + "|" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The encoded cursor of the page after one answered by a script with the index-page.lua prelude, from the score
     * and id it answered; empty when it answered no score (that page was the last).
     */
    public static Optional<String> next(String score, String id) {
        return score == null || score.isEmpty() ? Optional.empty() : Optional.of(new IndexCursor(Long.parseLong(score), id).encode());
    }

    /** The cursor a client sent back; anything this class did not write is a 400. */
    public static IndexCursor decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            int bar = text.indexOf('|');
            String id = text.substring(bar + 1);
            if (bar > 0 && ID.matcher(id).matches()) {
                return new IndexCursor(Long.parseLong(text.substring(0, bar)), id);
            }
        } catch (IllegalArgumentException e) {
            // not base64, or not a number: the same answer as any other foreign cursor
        }
        throw PageRequest.foreignCursor();
    }
}
