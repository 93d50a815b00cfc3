package dev.clones.media.notifications;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What one connection is sent when its events arrive both live and replayed, and when the replay falls behind. */
class EventDeliveryTest {

    /**
     * A connection that records what it is sent and how it is closed; nothing else of it is used. It stays open after
     * a close, as a real one does until the close handshake is over: what is not sent must be held back by the
     * delivery itself.
     */
    private static final class Recorded {
        final List<String> sent = new ArrayList<>();
        final List<Integer> closedWith = new ArrayList<>();
        final WebSocketConnection connection = (WebSocketConnection) Proxy.newProxyInstance(
                WebSocketConnection.class.getClassLoader(), new Class<?>[] {WebSocketConnection.class}, (proxy, method, args) ->
                        switch (method.getName()) {
                            case "id" -> "connection-1";
                            case "isOpen" -> true;
                            case "isClosed" -> false;
                            case "sendText" -> {
                                sent.add((String) args[0]);
                                yield Uni.createFrom().voidItem();
                            }
                            case "close" -> {
                                closedWith.add(args == null ? 1000 : ((CloseReason) args[0]).getCode());
                                yield Uni.createFrom().voidItem();
                            }
                            default -> throw new UnsupportedOperationException(method.getName());
                        });
    }

    private static EventId id(long ms) {
        return EventId.parse(ms + "-0").orElseThrow();
    }

    private static String event(long ms) {
        return "{\"eventId\":\"" + ms + "-0\"}";
    }

    @Test
    void liveEventsDuringTheReplayFollowItAndThoseItHeldAreNotSentTwice() {
        Recorded to = new Recorded();
        EventDelivery delivery = new EventDelivery(to.connection, true);

        delivery.live(id(2), event(2));
        delivery.live(id(3), event(3));
        delivery.kept(id(1), event(1));
        delivery.kept(id(2), event(2));
        delivery.replayed();
        delivery.live(id(3), event(3));
        delivery.live(id(4), event(4));

        assertEquals(List.of(event(1), event(2), event(3), event(4)), to.sent);
    }

    @Test
    void aCatchUpReplaysFromTheLastEventSentAndBuffersTheLiveOnesMeanwhile() {
        Recorded to = new Recorded();
        EventDelivery delivery = new EventDelivery(to.connection, false);
        assertEquals(java.util.Optional.empty(), delivery.catchUp(), "nothing sent yet: no position to catch up from");
        delivery.live(id(1), event(1));

        assertEquals(java.util.Optional.of(id(1)), delivery.catchUp());
        assertEquals(java.util.Optional.empty(), delivery.catchUp(), "one catch-up at a time");
        delivery.live(id(3), event(3));
        delivery.kept(id(2), event(2));
        delivery.replayed();

        assertEquals(List.of(event(1), event(2), event(3)), to.sent);
    }

    @Test
    void aReplayThatFallsTooFarBehindClosesTheConnectionAndSendsNothingMore() {
        Recorded to = new Recorded();
        EventDelivery delivery = new EventDelivery(to.connection, true);
        delivery.kept(id(1), event(1));
        for (int i = 0; i < EventDelivery.MAX_BUFFERED; i++) {
            delivery.live(id(100 + i), event(100 + i));
        }
        assertEquals(List.of(), to.closedWith, "a full buffer is still kept");

        delivery.live(id(5_000), event(5_000));
        delivery.kept(id(2), event(2));
        delivery.replayed();
        delivery.live(id(6_000), event(6_000));

        assertEquals(List.of(1013), to.closedWith);
        assertEquals(List.of(event(1)), to.sent, "the client resumes from the last event it got, with no gap behind it");
    }
}
