package dev.clones.media.reports;

import dev.clones.media.notifications.EventId;
import dev.clones.testing.LinkHeader;
import dev.clones.testing.ProblemJson;
import dev.clones.testing.ServiceProcess;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Notifications survive the replica holding the socket: every event carries an eventId and is kept per user, so a
 * client that reconnects (on any replica) with the last eventId it saw gets what it missed, once, then live events.
 * Two media replicas and a real worker; the events are real report outcomes.
 */
class NotificationsResumeIT {

    static ReportStack stack;
    static ServiceProcess mediaA;
    static ServiceProcess mediaB;

    @BeforeAll
    static void start() {
        stack = new ReportStack();
        // Many reports of one user in flight at once, for the reconnect racing new events.
        Map<String, String> media = Map.of("MEDIA_REPORTS_MAX_ACTIVE_PER_USER", "100");
        mediaA = stack.startMedia("media-a", media);
        mediaB = stack.startMedia("media-b", media);
        stack.startWorker("worker-1", Map.of("WORKER_CONCURRENCY", "4"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }



    private static Response events(ServiceProcess media, ReportStack.User user, String query) {
        return given().spec(media.http()).auth().oauth2(user.token()).get("/api/notifications/events" + query);
    }


    private static void assertIncreasingOnce(List<String> ids, String what) {
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(EventId.parse(ids.get(i)).orElseThrow().isAfter(EventId.parse(ids.get(i - 1)).orElseThrow()),
                    what + ": " + ids.get(i) + " follows " + ids.get(i - 1) + " in " + ids);
        }
    }

    @Test
    void aClientThatReconnectsOnAnotherReplicaGetsExactlyTheEventItMissedOnce() {
        ReportStack.User user = stack.newUserWithAnOrder();
        String seen;
        try (EventSocket onA = EventSocket.open(mediaA, user, null)) {
            onA.barrier();
            String event = onA.awaitReport(ReportStack.requestedReport(mediaA, user));
            assertTrue(event.contains("\"type\":\"report.done\""), event);
            seen = EventSocket.eventId(event);
            assertNotNull(seen, "a live event carries its eventId: " + event);
            assertTrue(EventId.parse(seen).isPresent(), seen);
        }

        String missed = ReportStack.requestedReport(mediaA, user);
        ReportStack.awaitReport(mediaB, user, missed, "done", EventSocket.PATIENCE);

        try (EventSocket onB = EventSocket.open(mediaB, user, seen)) {
            String event = onB.awaitReport(missed);
            onB.barrier();
            assertEquals(List.of(event), onB.messages(), "exactly the missed event, once; nothing seen before is replayed");
            assertTrue(EventId.parse(EventSocket.eventId(event)).orElseThrow().isAfter(EventId.parse(seen).orElseThrow()));
            assertEquals(stack.keptEventIds(user).getLast(), EventSocket.eventId(event), "its id is the kept entry's");

            // Live events follow the replayed ones on the same socket.
            String live = ReportStack.requestedReport(mediaA, user);
            String liveEvent = onB.awaitReport(live);
            onB.barrier();
            assertEquals(List.of(event, liveEvent), onB.messages());
        }
    }

    @Test
    void pollingAnswersTheKeptEventsOldestFirstAPageAtATime() {
        ReportStack.User user = stack.newUserWithAnOrder();
        List<String> reports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = ReportStack.requestedReport(mediaA, user);
            ReportStack.awaitReport(mediaA, user, id, "done", EventSocket.PATIENCE);
            reports.add(id);
        }
        List<String> kept = stack.keptEventIds(user);
        assertEquals(3, kept.size());

        Response all = events(mediaB, user, "");
        all.then().statusCode(200).header("Cache-Control", "no-store").header("Link", (String) null);
        assertEquals(kept, all.path("eventId"), "every kept event without since, oldest first");
        assertEquals(reports, all.path("id"));
        assertEquals(List.of("report.done", "report.done", "report.done"), all.path("type"));

        Response after = events(mediaA, user, "?since=" + kept.getFirst());
        assertEquals(kept.subList(1, 3), after.then().statusCode(200).extract().path("eventId"), "only those after since");

        Response firstPage = events(mediaA, user, "?limit=2");
        assertEquals(kept.subList(0, 2), firstPage.then().statusCode(200).extract().path("eventId"));
        String next = LinkHeader.next(firstPage.header("Link"));
        assertEquals("/api/notifications/events?limit=2&since=" + kept.get(1), next);
        Response lastPage = given().spec(mediaB.http()).auth().oauth2(user.token()).get(next);
        assertEquals(kept.subList(2, 3), lastPage.then().statusCode(200).extract().path("eventId"));
        assertNull(lastPage.header("Link"), "the last page has no next");

        // The socket replays the very same events.
        try (EventSocket socket = EventSocket.open(mediaB, user, kept.getFirst())) {
            socket.await(m -> m.contains(reports.getLast()));
            socket.barrier();
            assertEquals(kept.subList(1, 3), socket.eventIds());
        }

        assertEquals(List.of(), events(mediaA, user, "?since=" + kept.getLast()).then().statusCode(200).extract().path("$"),
                "nothing after the newest");
        assertEquals(List.of(), events(mediaA, stack.newUser(), "").then().statusCode(200).extract().path("$"),
                "a user without events has none, and sees no one else's");
    }

    @Test
    void aSinceThatIsNoEventIdIsRefused() {
        ReportStack.User user = stack.newUser();
        for (String malformed : List.of("yesterday", "1733580000000", "1-2-3", "-1-0", "")) {
            assertEquals(400, EventSocket.refusal(mediaA, user, malformed), "socket, since=" + malformed);
            Response polled = events(mediaA, user, "?since=" + malformed);
            assertEquals(400, polled.statusCode(), "polling, since=" + malformed + ": " + polled.asString());
            ProblemJson.problem(polled.then(), 400);
        }
        ProblemJson.problem(events(mediaA, user, "?limit=0").then(), 400);
        ProblemJson.problem(events(mediaA, user, "?limit=101").then(), 400);
        given().spec(mediaA.http()).get("/api/notifications/events").then().statusCode(401);
    }

    /**
     * Sockets opened with since while the user's reports keep finishing: each gets every event after since exactly
     * once, in increasing order, whether it was kept before the socket opened, published while the history was read
     * (live and kept at once), or published after. Several reconnects spread over the stream of events, on both
     * replicas, so that some overlap the replay.
     */
    @Test
    void eventsPublishedWhileTheHistoryIsReplayedAreDeliveredOnceInOrder() throws Exception {
        ReportStack.User user = stack.newUserWithAnOrder();
        String first = ReportStack.requestedReport(mediaA, user);
        ReportStack.awaitReport(mediaA, user, first, "done", EventSocket.PATIENCE);
        String since = stack.keptEventIds(user).getFirst();

        int count = 40;
        List<String> reports = new ArrayList<>();
        List<EventSocket> sockets = new ArrayList<>();
        ExecutorService requests = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> requested = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServiceProcess through = i % 2 == 0 ? mediaA : mediaB;
                requested.add(requests.submit(() -> ReportStack.requestedReport(through, user)));
            }
            // Reconnect as the reports are being requested and finished.
            for (int i = 0; i < requested.size(); i++) {
                reports.add(requested.get(i).get());
                if (i % 4 == 0) {
                    sockets.add(EventSocket.open(i % 8 == 0 ? mediaA : mediaB, user, since));
                }
            }
            for (String report : reports) {
                ReportStack.awaitReport(mediaB, user, report, "done", EventSocket.PATIENCE);
            }
            List<String> kept = stack.keptEventIds(user);
            List<String> expected = kept.subList(kept.indexOf(since) + 1, kept.size());
            assertEquals(count, expected.size(), "every report announced once and kept");
            for (EventSocket socket : sockets) {
                socket.await(m -> m.contains(expected.getLast()));
                socket.barrier();
                List<String> ids = socket.eventIds();
                assertEquals(ids.size(), new HashSet<>(ids).size(), "no event twice: " + ids);
                assertIncreasingOnce(ids, "in order");
                assertEquals(expected, ids, "every event after since, none missing");
            }
        } finally {
            requests.shutdownNow();
            sockets.forEach(EventSocket::close);
        }
    }
}
