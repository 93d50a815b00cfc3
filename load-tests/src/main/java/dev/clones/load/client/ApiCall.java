package dev.clones.load.client;

import io.gatling.javaapi.core.Session;

import java.util.Arrays;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One call of the public API as a virtual user makes it: method, path, body, the statuses that mean it
 * worked, and what to do with the answer once the retries are over. {@link Calls} turns it into a Gatling
 * chain. Immutable; each {@code with...} returns a copy.
 */
public record ApiCall(
        String name,
        String method,
        Function<Session, String> url,
        boolean authenticated,
        boolean endsSession,
        boolean idempotent,
        Function<Session, Map<String, String>> headers,
        Function<Session, String> json,
        Function<Session, byte[]> bytes,
        String contentType,
        boolean bytesAnswer,
        int[] expectedStatuses,
        BiFunction<Session, Outcome, Session> onOutcome) {

    public static ApiCall of(String name, String method, Function<Session, String> url) {
        return new ApiCall(name, method, url, false, false, false, s -> Map.of(), null, null, null, false, new int[] {200},
                (s, outcome) -> s);
    }

    public static ApiCall of(String method, String path) {
        return of(method + " " + path, method, s -> path);
    }

    /**
     * Sent with the shopper's session (cookie or bearer): the shopper logs in first if needed, the call is
     * skipped if that fails, and a 401 answer means the session is gone.
     */
    public ApiCall signedIn() {
        return new ApiCall(name, method, url, true, endsSession, idempotent, headers, json, bytes, contentType, bytesAnswer, expectedStatuses, onOutcome);
    }

    /** Logout: a 401 means the session is gone already, which is what the call wanted, not a lost session. */
    public ApiCall endingSession() {
        return new ApiCall(name, method, url, authenticated, true, idempotent, headers, json, bytes, contentType, bytesAnswer, expectedStatuses, onOutcome);
    }

    /**
     * A POST the API makes idempotent without a key (a registration resent within auth's replay window
     * answers the same 201), so the client may send it again after a lost answer.
     */
    public ApiCall idempotentWithoutKey() {
        return new ApiCall(name, method, url, authenticated, endsSession, true, headers, json, bytes, contentType, bytesAnswer, expectedStatuses, onOutcome);
    }

    /** Headers computed from the session: evaluated for every attempt, so a retry sends the same Idempotency-Key. */
    public ApiCall headers(Function<Session, Map<String, String>> value) {
        return new ApiCall(name, method, url, authenticated, endsSession, idempotent, value, json, bytes, contentType, bytesAnswer, expectedStatuses, onOutcome);
    }

    public ApiCall json(Function<Session, String> value) {
        return new ApiCall(name, method, url, authenticated, endsSession, idempotent, headers, value, bytes, contentType, bytesAnswer, expectedStatuses, onOutcome);
    }

    public ApiCall bytes(String type, Function<Session, byte[]> value) {
        return new ApiCall(name, method, url, authenticated, endsSession, idempotent, headers, json, value, type, bytesAnswer, expectedStatuses, onOutcome);
    }

    /** Keep the answer's bytes (for a checksum) rather than its text. */
    public ApiCall keepingBytes() {
        return new ApiCall(name, method, url, authenticated, endsSession, idempotent, headers, json, bytes, contentType, true, expectedStatuses, onOutcome);
    }

    public ApiCall expect(int... statuses) {
        return new ApiCall(name, method, url, authenticated, endsSession, idempotent, headers, json, bytes, contentType, bytesAnswer, statuses.clone(), onOutcome);
    }

    public ApiCall then(BiFunction<Session, Outcome, Session> handler) {
        return new ApiCall(name, method, url, authenticated, endsSession, idempotent, headers, json, bytes, contentType, bytesAnswer, expectedStatuses, handler);
    }

    public boolean expects(int status) {
        return Arrays.stream(expectedStatuses).anyMatch(s -> s == status);
    }

    public Integer[] expectedBoxed() {
        return Arrays.stream(expectedStatuses).boxed().toArray(Integer[]::new);
    }
}
