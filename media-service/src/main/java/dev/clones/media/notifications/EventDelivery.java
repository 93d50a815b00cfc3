package dev.clones.media.notifications;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What one connection has been sent, so that it gets each event once and in order although events reach it two
 * ways: live, from the subscription, and replayed, from the user's kept history when it resumed with {@code since}.
 * <ul>
 *   <li>While history is replayed, live events are buffered; once the history is sent, the buffer follows.</li>
 *   <li>An event is sent only if its id is after the last one sent: the live events the replay already sent (the
 *   connection was registered for live events before the history was read) are dropped, and none is sent twice.</li>
 * </ul>
 * Live events arrive on the subscription's thread, replayed ones on the connection's: every method holds this
 * object's lock, so sends are handed to the connection one at a time, in the order decided here.
 */
final class EventDelivery {

    static final String RESYNC = "{\"type\":\"resync\"}";

    /**
     * Most live events held for one connection while its history is replayed: a user's events come a few a second at
     * the most and a replay takes a few Redis round trips, so this is only reached when the replay hangs.
     */
    static final int MAX_BUFFERED = 1000;

    /** The buffer overflowed: nothing was lost that the client cannot resume, from the last eventId it got. */
    static final CloseReason OVERFLOWED = new CloseReason(1013, "Too many events while catching up; reconnect with since.");

    private static final Logger LOG = Logger.getLogger(EventDelivery.class);

    private final WebSocketConnection connection;
    /** Completes once the connection is live: its user's channel subscribed here and the history (if any) sent. */
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** The id of the last event sent; null before the first. */
    private EventId lastSent;
    /** Live events that arrived while history is replayed; null once the connection is live. */
    private List<Pending> buffered;
    /**
     * The buffer overflowed and the connection is being closed: nothing more is sent on it, kept or live, so that the
     * last eventId the client got is one it can resume from without a gap.
     */
    private boolean abandoned;

    private record Pending(EventId id, String event) {
    }

    /** {@code replaying}: history will be replayed first, so live events wait until {@link #replayed()}. */
    EventDelivery(WebSocketConnection connection, boolean replaying) {
        this.connection = connection;
        this.buffered = replaying ? new ArrayList<>() : null;
    }

    WebSocketConnection connection() {
        return connection;
    }

    /**
     * Completes once the connection is live (or failed to become so and is being closed): a pong sent after this
     * tells the client that every event published from now on reaches it.
     */
    CompletionStage<Void> ready() {
        return ready;
    }

    /** The connection is live, or will never be (it is closed): see {@link #ready()}. */
    void settled() {
        ready.complete(null);
    }

    /** A live event; {@code id} empty for an event without one (published by a writer that predates event ids). */
    synchronized void live(EventId id, String event) {
        if (buffered != null) {
            if (buffered.size() >= MAX_BUFFERED) {
                // The replay is stuck (Redis slow to answer) while events pour in: rather than hold them without
                // bound, the connection is closed and the client resumes from the last event it was sent.
                buffered = null;
                abandoned = true;
                connection.close(OVERFLOWED).subscribe().with(ok -> { },
                        failure -> LOG.debugf("Could not close %s: %s", connection.id(), failure));
                return;
            }
            buffered.add(new Pending(id, event));
        } else {
            send(id, event);
        }
    }

    /** A kept event, from the history replay. */
    synchronized void kept(EventId id, String event) {
        send(id, event);
    }

    /** The history the client asked to resume from is gone: it must reload over HTTP. Live events follow. */
    synchronized void resync() {
        if (!abandoned) {
            write(RESYNC);
        }
    }

    /**
     * The subscription was renewed and may have missed live events meanwhile: from now on live events are buffered
     * until the kept ones after the last event sent are replayed ({@link #kept}, then {@link #replayed()}). Answers that
     * id, or nothing when there is no catching up to do here: nothing was sent yet (the connection asked for live
     * events only and has no position to resume from), or a replay is under way already.
     */
    synchronized Optional<EventId> catchUp() {
        if (buffered != null || lastSent == null) {
            return Optional.empty();
        }
        buffered = new ArrayList<>();
        return Optional.of(lastSent);
    }

    /** The replay is over: the buffered live events are sent (those not replayed), then live ones as they come. */
    synchronized void replayed() {
        if (buffered == null) {
            return;
        }
        List<Pending> waiting = buffered;
        buffered = null;
        waiting.forEach(pending -> send(pending.id(), pending.event()));
    }

    private void send(EventId id, String event) {
        if (abandoned) {
            return;
        }
        if (id != null) {
            if (lastSent != null && !id.isAfter(lastSent)) {
                return;
            }
            lastSent = id;
        }
        write(event);
    }

    private void write(String text) {
        if (connection.isOpen()) {
            connection.sendText(text).subscribe().with(ok -> { },
                    failure -> LOG.debugf("Could not deliver a notification on %s: %s", connection.id(), failure));
        }
    }
}
