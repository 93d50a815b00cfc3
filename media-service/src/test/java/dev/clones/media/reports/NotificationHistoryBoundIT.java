package dev.clones.media.reports;

import dev.clones.testing.ProblemJson;
import dev.clones.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a client is told when it asks for events after one that is no longer kept: the worker keeps only the newest
 * two events per user here, so the third evicts the first. The socket says resync and goes on live; polling answers
 * 410. Either way the client reloads over HTTP instead of silently missing events.
 */
class NotificationHistoryBoundIT {

    static ReportStack stack;
    static ServiceProcess media;

    @BeforeAll
    static void start() {
        stack = new ReportStack();
        media = stack.startMedia("media-a", Map.of());
        stack.startWorker("worker-1", Map.of("WORKER_NOTIFICATIONS_HISTORY_MAX_EVENTS", "2"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static String reportDone(ReportStack.User user) {
        String id = ReportStack.requestReport(media, user, "orders", "csv").then().statusCode(202).extract().path("id");
        ReportStack.awaitReport(media, user, id, "done", EventSocket.PATIENCE);
        return id;
    }


    @Test
    void aSinceNoLongerKeptGetsAResyncThenLiveEventsOnTheSocketAnd410WhenPolling() {
        ReportStack.User user = stack.newUserWithAnOrder();
        reportDone(user);
        String evicted = stack.keptEventIds(user).getFirst();
        reportDone(user);
        reportDone(user);
        List<String> kept = stack.keptEventIds(user);
        assertEquals(2, kept.size(), "the worker keeps the newest two");
        assertEquals(false, kept.contains(evicted));

        ProblemJson.problem(given().spec(media.http()).auth().oauth2(user.token())
                        .get("/api/notifications/events?since=" + evicted).then(), 410)
                .body("title", org.hamcrest.Matchers.equalTo("Gone"))
                .body("detail", containsString("reload"));
        assertEquals(kept.subList(1, 2), given().spec(media.http()).auth().oauth2(user.token())
                .get("/api/notifications/events?since=" + kept.getFirst()).then().statusCode(200).extract().path("eventId"),
                "a kept since still answers what follows it");

        try (EventSocket socket = EventSocket.open(media, user, evicted)) {
            socket.await(m -> m.contains("resync"));
            String live = reportDone(user);
            String event = socket.awaitReport(live);
            socket.barrier();
            assertEquals(List.of("{\"type\":\"resync\"}", event), socket.messages(),
                    "resync first, nothing of the kept history (the client reloads it), then live events");
        }

        // An id that was never given out is no longer kept either, for all the client can tell.
        ProblemJson.problem(given().spec(media.http()).auth().oauth2(user.token())
                .get("/api/notifications/events?since=1-0").then(), 410);
    }
}
