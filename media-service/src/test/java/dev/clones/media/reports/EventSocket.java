package dev.clones.media.reports;

import dev.clones.testing.ServiceProcess;
import io.restassured.path.json.JsonPath;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;


/**
 * A notification socket that keeps every message it received, in order (replayed, resync and live alike), for the
 * tests of resuming with {@code since}. The bounds only keep a hang from holding the build.
 */
final class EventSocket implements WebSocket.Listener, AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    private final List<String> received = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    /** How the replica ended the socket: its close frame, or the failure of a connection cut without one. */
    private final CompletableFuture<Closure> closure = new CompletableFuture<>();
    private WebSocket socket;

    /** The close frame the replica sent. */
    record Closure(int code, String reason) {
    }

    static URI uri(ServiceProcess media, String since) {
        return URI.create("ws://127.0.0.1:" + media.port() + "/api/notifications"
                + (since == null ? "" : "?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8)));
    }

    /** Opens a socket of the user's on that replica, resuming after {@code since} (null: live events only). */
    static EventSocket open(ServiceProcess media, ReportStack.User user, String since) {
        EventSocket listener = new EventSocket();
        listener.socket = ReportsIT.HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + user.token())
                .buildAsync(uri(media, since), listener).join();
        return listener;
    }

    /** The status the upgrade was refused with. */
    static int refusal(ServiceProcess media, ReportStack.User user, String since) {
        return refusalIfAny(media, user, since)
                .orElseThrow(() -> new AssertionError("The upgrade with since=" + since + " was accepted"));
    }

    /** The status the upgrade was refused with; empty when it was accepted (the socket is closed again at once). */
    static OptionalInt refusalIfAny(ServiceProcess media, ReportStack.User user, String since) {
        try {
            open(media, user, since).close();
            return OptionalInt.empty();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return OptionalInt.of(refused.getResponse().statusCode());
            }
            throw e;
        }
    }

    /**
     * The answer to a WebSocket upgrade sent as a plain request, for its body (the socket client does not show the body
     * of a refusal). Only for an upgrade known to be refused: an accepted one would leave this waiting.
     */
    static io.restassured.response.ValidatableResponse refusedUpgrade(ServiceProcess media, ReportStack.User user) {
        return io.restassured.RestAssured.given().spec(media.http()).auth().oauth2(user.token())
                .header("Connection", "Upgrade").header("Upgrade", "websocket").header("Sec-WebSocket-Version", "13")
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .get("/api/notifications").then();
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closure.complete(new Closure(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closure.completeExceptionally(error);
    }

    /** The close frame, once it arrived; fails if the connection ended without one. */
    Closure awaitClose() {
        try {
            return closure.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("The socket ended without a close frame", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("The socket was not closed", e);
        }
    }

    @Override
    public synchronized CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    /** Every message but pongs, in the order received. */
    synchronized List<String> messages() {
        return received.stream().filter(m -> !m.contains("\"type\":\"pong\"")).toList();
    }

    /** The eventIds of the messages that carry one, in the order received. */
    List<String> eventIds() {
        return messages().stream().map(m -> JsonPath.from(m).getString("eventId")).filter(id -> id != null).toList();
    }

    /** The first message that satisfies {@code test}, once one arrived. */
    String await(Predicate<String> test) {
        org.awaitility.Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> messages().stream().anyMatch(test));
        return messages().stream().filter(test).findFirst().orElseThrow();
    }

    /** The event of that report, once it arrived. */
    String awaitReport(String reportId) {
        return await(m -> m.contains("\"id\":\"" + reportId + "\""));
    }

    /**
     * Waits for the answer to a ping: whatever the replica had sent before it handled the ping has arrived (a socket
     * delivers in order), so what {@link #messages()} holds then is all the replica sent up to that point.
     */
    void barrier() {
        int pongs;
        synchronized (this) {
            pongs = (int) received.stream().filter(m -> m.contains("\"type\":\"pong\"")).count();
        }
        socket.sendText("ping", true).join();
        int before = pongs;
        org.awaitility.Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> {
            synchronized (this) {
                return received.stream().filter(m -> m.contains("\"type\":\"pong\"")).count() > before;
            }
        });
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }

    static String eventId(String message) {
        return JsonPath.from(message).getString("eventId");
    }
}
