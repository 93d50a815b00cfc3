package dev.clones.common.paging;

import dev.clones.common.error.ApiProblem;

import java.util.Optional;

/**
 * What a client asked of a list: {@code limit} items (1–100, 50 when absent) after {@code cursor} (absent: from the
 * newest). The cursor is opaque to the client: whatever the list's repository wrote into the previous page's
 * {@code Link: <…>; rel="next"}; each repository reads its own (see {@link IndexCursor}).
 */
public record PageRequest(int limit, Optional<String> cursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;

    /** From the query parameters; a limit out of range or a cursor that is not printable ASCII is a 400. */
    public static PageRequest of(String limit, String cursor) {
        int parsed = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                parsed = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                parsed = -1;
            }
            if (parsed < 1 || parsed > MAX_LIMIT) {
                throw ApiProblem.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + ".");
            }
        }
        if (cursor != null && (cursor.isEmpty() || cursor.length() > 200 || !cursor.chars().allMatch(c -> c > 32 && c < 127))) {
            throw foreignCursor();
        }
        return new PageRequest(parsed, Optional.ofNullable(cursor));
    }

    /** The 400 for a cursor this API did not write: each list's own cursor reader answers it too. */
    public static ApiProblem foreignCursor() {
        return ApiProblem.badRequest("cursor is not one this API gave out; start again without it.");
    }
}
