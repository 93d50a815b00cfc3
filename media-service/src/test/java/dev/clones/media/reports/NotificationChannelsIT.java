package dev.clones.media.reports;

import dev.clones.contracts.NotificationKeys;
import dev.clones.testing.ServiceProcess;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A user's events reach the replicas that hold a socket of theirs and no other: each replica subscribes to a user's
 * own channel while it has a connection of that user, and subscribes again, and catches up, when its subscription is
 * renewed. Four media replicas and a real worker; every replica counts the events Redis hands it
 * ({@code notifications_events_received_total}).
 */
class NotificationChannelsIT {

    private static final Pattern RECEIVED = Pattern.compile("(?m)^notifications_events_received_total(?:\\{[^}]*})? ([0-9.eE+]+)$");

    static ReportStack stack;
    static Map<String, ServiceProcess> media = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        stack = new ReportStack();
        for (String name : List.of("media-a", "media-b", "media-c", "media-d")) {
            media.put(name, stack.startMedia(name, Map.of("MEDIA_REPORTS_MAX_ACTIVE_PER_USER", "20")));
        }
        stack.startWorker("worker-1", Map.of("WORKER_CONCURRENCY", "2"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }


    private static long received(ServiceProcess replica) {
        String metrics = replica.http().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher found = RECEIVED.matcher(metrics);
        return found.find() ? (long) Double.parseDouble(found.group(1)) : 0;
    }

    private static Map<String, Long> receivedByReplica() {
        Map<String, Long> counts = new LinkedHashMap<>();
        media.forEach((name, replica) -> counts.put(name, received(replica)));
        return counts;
    }

    /** How many events each replica was handed by Redis while {@code work} ran. */
    private static Map<String, Long> receivedDuring(Runnable work) {
        Map<String, Long> before = receivedByReplica();
        work.run();
        Map<String, Long> delta = new LinkedHashMap<>();
        receivedByReplica().forEach((name, count) -> delta.put(name, count - before.get(name)));
        return delta;
    }

    private static int subscribers(ReportStack.User user) {
        // PUBSUB NUMSUB answers [channel, count].
        return Integer.parseInt(stack.redis.commandList("PUBSUB", "NUMSUB", NotificationKeys.live(user.id())).get(1));
    }

    /** Requests {@code count} reports through {@code through} and waits until each socket has every one. */
    private static List<String> reportsSeenBy(ServiceProcess through, ReportStack.User user, int count, List<EventSocket> sockets) {
        List<String> reports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = ReportStack.requestedReport(through, user);
            reports.add(id);
            sockets.forEach(socket -> socket.awaitReport(id));
        }
        return reports;
    }

    @Test
    void aUsersEventsReachOnlyTheReplicaHoldingTheirSockets() {
        ReportStack.User user = stack.newUserWithAnOrder();
        try (EventSocket first = EventSocket.open(media.get("media-a"), user, null);
             EventSocket second = EventSocket.open(media.get("media-a"), user, null)) {
            first.barrier();
            second.barrier();
            assertEquals(1, subscribers(user), "one replica hears the user's channel, however many sockets it holds");
            // Caused through another replica: the cause and the sockets need not meet.
            Map<String, Long> received = receivedDuring(() -> reportsSeenBy(media.get("media-c"), user, 3, List.of(first, second)));

            assertEquals(Map.of("media-a", 3L, "media-b", 0L, "media-c", 0L, "media-d", 0L), received,
                    "each event once to the replica holding the sockets, to no other");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> subscribers(user) == 0);
    }

    @Test
    void socketsOfOneUserOnTwoReplicasEachGetEveryEventAndTheOthersNone() {
        ReportStack.User user = stack.newUserWithAnOrder();
        try (EventSocket onB = EventSocket.open(media.get("media-b"), user, null);
             EventSocket onD = EventSocket.open(media.get("media-d"), user, null)) {
            onB.barrier();
            onD.barrier();
            assertEquals(2, subscribers(user));
            List<String> reports = new ArrayList<>();
            Map<String, Long> received = receivedDuring(() -> reports.addAll(reportsSeenBy(media.get("media-a"), user, 2, List.of(onB, onD))));

            assertEquals(Map.of("media-a", 0L, "media-b", 2L, "media-c", 0L, "media-d", 2L), received);
            onB.barrier();
            onD.barrier();
            assertEquals(reports.size(), onB.eventIds().size(), "once each: " + onB.messages());
            assertEquals(onB.eventIds(), onD.eventIds(), "the same events in the same order on both replicas");
        }
    }

    /**
     * Redis drops every subscription of a connection it closes; the replica's renewed subscription joins the channels
     * of the users it still holds sockets of again, so their live events keep coming on the same sockets.
     */
    @Test
    void aRenewedSubscriptionHearsTheChannelsOfTheUsersStillConnected() {
        ReportStack.User user = stack.newUserWithAnOrder();
        try (EventSocket socket = EventSocket.open(media.get("media-c"), user, null)) {
            socket.barrier();
            assertEquals(1, subscribers(user));

            stack.redis.command("CLIENT", "KILL", "TYPE", "pubsub");
            await().atMost(EventSocket.PATIENCE).until(() -> subscribers(user) == 1);

            List<String> reports = reportsSeenBy(media.get("media-a"), user, 1, List.of(socket));
            socket.barrier();
            assertEquals(reports.size(), socket.eventIds().size(), "the event arrives once: " + socket.messages());
        }
    }

    /**
     * What was kept while the subscription was away reached no socket live; the renewed subscription sends each socket
     * the kept events after the last one it sent, once, before the live ones. The event here is kept without being
     * published, as one published in the gap is for this replica.
     */
    @Test
    void aRenewedSubscriptionSendsEachSocketWhatWasKeptWhileItWasAway() {
        ReportStack.User user = stack.newUserWithAnOrder();
        try (EventSocket socket = EventSocket.open(media.get("media-b"), user, null)) {
            socket.barrier();
            reportsSeenBy(media.get("media-a"), user, 1, List.of(socket));

            String missed = stack.redis.command("XADD", NotificationKeys.events(user.id()), "*", "event",
                    "{\"type\":\"report.done\",\"id\":\"kept-while-away\",\"downloadUrl\":\"https://example.org/r\"}");
            socket.barrier();
            assertEquals(1, socket.eventIds().size(), "a kept event that was not published is not sent live");

            stack.redis.command("CLIENT", "KILL", "TYPE", "pubsub");
            String caughtUp = socket.awaitReport("kept-while-away");
            assertEquals(missed, EventSocket.eventId(caughtUp));

            List<String> live = reportsSeenBy(media.get("media-a"), user, 1, List.of(socket));
            socket.barrier();
            List<String> ids = socket.eventIds();
            assertEquals(3, ids.size(), "each event once: " + socket.messages());
            assertEquals(missed, ids.get(1), "the caught-up event between the earlier and the later live one");
            assertEquals(live.getFirst(), JsonPath.from(socket.messages().getLast()).getString("id"), "then the live one");
        }
    }
}
