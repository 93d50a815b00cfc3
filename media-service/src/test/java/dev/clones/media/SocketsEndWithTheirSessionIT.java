package dev.clones.media;

import dev.clones.common.session.SessionTokens;
import dev.clones.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A notification socket lives no longer than its session: logout, revoke-all and expiry each close it, with 4401,
 * on whichever media replica holds it, while other users' sockets stay open. How long each close took is printed
 * (the watch checks every 0.5 s); the assertions are about what happens, the 30 s bound only keeps a hang from
 * holding the build.
 */
class SocketsEndWithTheirSessionIT {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static MediaCluster cluster;
    static ServiceProcess mediaA;
    static ServiceProcess mediaB;

    @BeforeAll
    static void start() {
        cluster = MediaCluster.start();
        mediaA = cluster.media("media-a", Map.of());
        mediaB = cluster.media("media-b", Map.of());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void logoutClosesTheSessionsSocket() throws Exception {
        String session = cluster.newSession();
        String bystander = cluster.newSession();
        Socket socket = Socket.open(mediaA, session);
        Socket other = Socket.open(mediaA, bystander);

        long loggedOutAt = System.nanoTime();
        given().spec(cluster.auth.http()).auth().oauth2(session).post("/api/auth/logout").then().statusCode(204);

        assertEquals(4401, socket.awaitClose(loggedOutAt, "logout"));
        assertFalse(other.closed.isDone(), "another user's socket stays open");
    }

    @Test
    void logoutEverywhereClosesTheUsersSocketsOnEveryReplica() throws Exception {
        String session = cluster.newSession();
        Socket onA = Socket.open(mediaA, session);
        Socket onB = Socket.open(mediaB, session);

        long revokedAt = System.nanoTime();
        given().spec(cluster.auth.http()).auth().oauth2(session).delete("/api/auth/sessions").then().statusCode(204);

        assertEquals(4401, onA.awaitClose(revokedAt, "revoke-all, socket on media-a"));
        assertEquals(4401, onB.awaitClose(revokedAt, "revoke-all, socket on media-b"));
    }

    @Test
    void anExpiredSessionsSocketIsClosed() throws Exception {
        String session = cluster.newSession();
        String bystander = cluster.newSession();
        Socket socket = Socket.open(mediaB, session);
        Socket other = Socket.open(mediaB, bystander);

        // Expiry as Redis does it: the session's key reaches the end of its time to live.
        long expiredAt = System.nanoTime();
        assertEquals("1", cluster.redis.command("PEXPIRE", "session:" + SessionTokens.handleOf(session), "1"));

        assertEquals(4401, socket.awaitClose(expiredAt, "expiry"));
        assertFalse(other.closed.isDone(), "another user's socket stays open");
    }

    /** A notification socket and the close code the service ended it with. */
    record Socket(WebSocket webSocket, CompletableFuture<Integer> closed) {

        static Socket open(ServiceProcess media, String session) {
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            CompletableFuture<Void> pong = new CompletableFuture<>();
            WebSocket webSocket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + session)
                    .buildAsync(URI.create("ws://127.0.0.1:" + media.port() + "/api/notifications"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            if (data.toString().contains("pong")) {
                                pong.complete(null);
                            }
                            socket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                            closed.complete(statusCode);
                            return null;
                        }
                    }).join();
            // A ping round trip proves the replica registered the socket.
            webSocket.sendText("ping", true).join();
            pong.orTimeout(30, TimeUnit.SECONDS).join();
            return new Socket(webSocket, closed);
        }

        int awaitClose(long since, String what) throws Exception {
            int code = closed.get(30, TimeUnit.SECONDS);
            System.out.printf("socket closed %d ms after %s (code %d)%n",
                    Duration.ofNanos(System.nanoTime() - since).toMillis(), what, code);
            return code;
        }
    }
}
