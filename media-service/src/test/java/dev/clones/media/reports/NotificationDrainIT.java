package dev.clones.media.reports;

import dev.clones.testing.ProblemJson;
import dev.clones.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica takes notification sockets only while it can keep their promise: on SIGTERM it closes them with 1012
 * (service restart) while it still serves, so their clients resume at once elsewhere and miss nothing, and it takes no
 * new one; a replica whose subscription to the notification channel is not live takes none either. Two media replicas
 * and a real worker; the events are real report outcomes.
 */
class NotificationDrainIT {

    static ReportStack stack;
    static ServiceProcess mediaB;

    @BeforeAll
    static void start() {
        stack = new ReportStack();
        mediaB = stack.startMedia("media-b", Map.of());
        stack.startWorker("worker-1", Map.of());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }


    @Test
    void aStoppingReplicaClosesItsSocketsWith1012AndTheClientResumesOnAnotherReplicaWithNothingMissedOrRepeated() throws Exception {
        // A long shutdown delay keeps the stopping replica serving HTTP well after it drained, so that it can be asked
        // for a new socket meanwhile; the drain itself happens before the delay, whatever its length.
        ServiceProcess mediaA = stack.startMedia("media-a", Map.of("QUARKUS_SHUTDOWN_DELAY", "20s"));
        ReportStack.User user = stack.newUser();
        stack.seedOrder(user, "order-" + user.id(), Instant.now(), "TEA-SENCHA-100", "Sencha", 1, 850);

        EventSocket live = EventSocket.open(mediaA, user, null);
        live.barrier();
        String seen = EventSocket.eventId(live.awaitReport(ReportStack.requestedReport(mediaA, user)));
        EventSocket resumed = EventSocket.open(mediaA, user, seen);
        resumed.barrier();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(mediaA::terminate);
        try {
            for (EventSocket socket : List.of(live, resumed)) {
                EventSocket.Closure closure = socket.awaitClose();
                assertEquals(1012, closure.code(), "service restart: " + closure);
                assertTrue(closure.reason().contains("since="), "the client is told how to resume: " + closure);
            }

            // The stopping replica still serves HTTP (its shutdown delay), but takes no new socket.
            assertEquals(503, EventSocket.refusal(mediaA, user, seen));

            // A report finishes while the client has no socket; it resumes on the other replica after what it saw.
            String missed = ReportStack.requestedReport(mediaB, user);
            ReportStack.awaitReport(mediaB, user, missed, "done", EventSocket.PATIENCE);
            try (EventSocket onB = EventSocket.open(mediaB, user, seen)) {
                String event = onB.awaitReport(missed);
                onB.barrier();
                assertEquals(List.of(event), onB.messages(), "exactly the missed event, once");
            }
        } finally {
            live.close();
            resumed.close();
            // terminate() fails if the replica needed SIGKILL: the drain never holds the shutdown for long.
            stopping.get(EventSocket.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * Redis refuses every channel to the replica (an ACL without channel permissions) and drops its subscribed
     * connection: the subscription cannot come back, while every other command the replica sends still works.
     */
    @Test
    void aReplicaWhoseSubscriptionIsNotLiveRefusesSocketsWith503AndStillAnswersWhatNeedsNoSubscription() {
        ReportStack.User user = stack.newUser();
        assertEquals(OptionalInt.empty(), EventSocket.refusalIfAny(mediaB, user, null), "a live replica takes sockets");
        try {
            stack.redis.command("ACL", "SETUSER", "default", "resetchannels");
            stack.redis.command("CLIENT", "KILL", "TYPE", "pubsub");
            await().atMost(EventSocket.PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> EventSocket.refusalIfAny(mediaB, user, null).isPresent());
            assertEquals(503, EventSocket.refusal(mediaB, user, null));
            ProblemJson.problem(EventSocket.refusedUpgrade(mediaB, user), 503).header("Retry-After", "1")
                    .body("detail", containsString("cannot deliver notifications"));
            // Sessions and the kept events are read from the same Redis meanwhile.
            given().spec(mediaB.http()).auth().oauth2(user.token()).get("/api/notifications/events")
                    .then().statusCode(200);
            assertEquals(503, EventSocket.refusal(mediaB, user, null), "still refused while Redis refuses the channels");
        } finally {
            stack.redis.command("ACL", "SETUSER", "default", "allchannels");
        }
        await().atMost(EventSocket.PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> EventSocket.refusalIfAny(mediaB, user, null).isEmpty());
    }
}
