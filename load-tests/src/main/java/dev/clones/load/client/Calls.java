package dev.clones.load.client;

import dev.clones.load.ledger.Shopper;
import dev.clones.load.report.RunRecorder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.bodyBytes;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Turns an {@link ApiCall} into Gatling steps: the request, sent again as {@link RetryPolicy} allows after
 * a backoff pause, every attempt recorded in the {@link RunRecorder} and marked KO in Gatling's report
 * when its status is not one the call expects; then the call's handler with the last answer.
 */
public final class Calls {

    /** The session attribute holding the virtual user's {@link Shopper}. */
    public static final String SHOPPER = "shopper";

    private static final String STATUS = "call.status";
    private static final String BODY = "call.body";
    private static final String BYTES = "call.bytes";
    private static final String ETAG = "call.etag";
    private static final String SERVED_BY = "call.servedBy";
    private static final String LATENCY = "call.latency";
    private static final String STARTED = "call.started";
    private static final String ATTEMPTS = "call.attempts";
    private static final String AGAIN = "call.again";

    private final RunRecorder recorder;
    private final RetryPolicy retries;
    private final ChainBuilder signIn;

    public Calls(RunRecorder recorder, RetryPolicy retries) {
        this(recorder, retries, null);
    }

    private Calls(RunRecorder recorder, RetryPolicy retries, ChainBuilder signIn) {
        this.recorder = recorder;
        this.retries = retries;
        this.signIn = signIn;
    }

    /** The same calls, but one that needs a session first runs {@code signIn} (a no-op when logged in). */
    public Calls signingInWith(ChainBuilder signIn) {
        return new Calls(recorder, retries, signIn);
    }

    public static Shopper shopper(Session session) {
        return session.get(SHOPPER);
    }

    public ChainBuilder run(ApiCall call) {
        ChainBuilder attempts = exec(s -> s.set(ATTEMPTS, 0).set(AGAIN, true))
                .asLongAs(s -> s.getBoolean(AGAIN)).on(
                        doIf(s -> s.getInt(ATTEMPTS) > 0).then(pause(s -> retries.backoff(s.getInt(ATTEMPTS)))),
                        exec(s -> s.removeAll(STATUS, BODY, BYTES, ETAG, SERVED_BY, LATENCY).set(STARTED, System.nanoTime())),
                        exec(request(call)),
                        exec(s -> afterAttempt(call, s)));
        if (!call.authenticated() || signIn == null) {
            return attempts;
        }
        // Like an app that shows its login page: no request with a session the shopper does not have.
        return signIn.doIf(s -> shopper(s).loggedIn()).then(attempts);
    }

    private HttpRequestActionBuilder request(ApiCall call) {
        List<CheckBuilder> checks = new ArrayList<>();
        // The saving checks come first: Gatling stops at the first check that fails.
        checks.add(status().saveAs(STATUS));
        checks.add(responseTimeInMillis().saveAs(LATENCY));
        checks.add(header("ETag").optional().saveAs(ETAG));
        checks.add(header("X-Served-By").optional().saveAs(SERVED_BY));
        checks.add(call.bytesAnswer() ? bodyBytes().saveAs(BYTES) : bodyString().saveAs(BODY));
        checks.add(status().in(call.expectedBoxed()));
        HttpRequestActionBuilder request = http(call.name()).httpRequest(call.method(), call.url())
                .sign((req, session) -> {
                    Shopper shopper = session.contains(SHOPPER) ? shopper(session) : null;
                    // Browsers carry the SID cookie in Gatling's cookie jar; mobile clients send the bearer header.
                    if (call.authenticated() && shopper != null && !shopper.usesCookie() && shopper.sessionId() != null) {
                        req.getHeaders().set("Authorization", "Bearer " + shopper.sessionId());
                    }
                    call.headers().apply(session).forEach((name, value) -> req.getHeaders().set(name, value));
                    return req;
                })
                .check(checks);
        if (call.json() != null) {
            request = request.body(StringBody(call.json())).header("Content-Type", "application/json");
        } else if (call.bytes() != null) {
            request = request.body(ByteArrayBody(call.bytes())).header("Content-Type", call.contentType());
        }
        return request;
    }

    private Session afterAttempt(ApiCall call, Session session) {
        long now = System.currentTimeMillis();
        int status = session.contains(STATUS) ? session.getInt(STATUS) : 0;
        long latency = session.contains(LATENCY) ? session.getLong(LATENCY)
                : (System.nanoTime() - session.getLong(STARTED)) / 1_000_000;
        boolean ok = call.expects(status);
        recorder.attempt(call.name(), now, latency, ok ? RunRecorder.OK : status);
        int attempts = session.getInt(ATTEMPTS) + 1;
        Map<String, String> headers = call.headers().apply(session);
        boolean again = !ok && retries.again(call.method(), call.idempotent() || headers.containsKey("Idempotency-Key"),
                headers.containsKey("If-Match"), status, attempts);
        // A KO is in Gatling's statistics already; the virtual user goes on like a real one would.
        Session next = session.set(ATTEMPTS, attempts).set(AGAIN, again).markAsSucceeded();
        if (again) {
            return next;
        }
        if (!ok) {
            recorder.operationFailed(call.name());
        }
        String servedBy = next.contains(SERVED_BY) ? next.getString(SERVED_BY) : null;
        if (call.authenticated() && !call.endsSession() && status == 401 && next.contains(SHOPPER)) {
            shopper(next).sessionRejected(call.name() + " at " + java.time.Instant.ofEpochMilli(now) + " by " + servedBy);
        }
        Outcome outcome = new Outcome(status, next.contains(BODY) ? next.getString(BODY) : null,
                next.contains(BYTES) ? next.get(BYTES) : null, next.contains(ETAG) ? next.getString(ETAG) : null,
                servedBy, ok);
        return call.onOutcome().apply(next.removeAll(BODY, BYTES), outcome);
    }
}
