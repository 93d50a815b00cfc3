package dev.clones.media.notifications;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Sends a connection the user's kept events after an id, a page at a time, then lets its live events through: for a
 * socket that resumes with {@code since}, and for every socket here when the subscription was renewed and may have
 * missed what was published meanwhile. {@link EventDelivery} drops what it sent already.
 */
@ApplicationScoped
public class HistoryReplay {

    /** History is read this many events at a time: one Redis call holds no more than this. */
    static final int PAGE = 100;

    private final NotificationHistory history;

    public HistoryReplay(NotificationHistory history) {
        this.history = history;
    }

    /**
     * Replays the events after {@code since} to {@code delivery}, which is buffering live events, and then ends the
     * buffering. When {@code since} is no longer kept, the connection is told to resync instead. Fails when Redis
     * cannot be read; the live events stay buffered then, and the caller closes the connection.
     */
    Uni<Void> after(String userId, EventId since, EventDelivery delivery) {
        return history.after(userId, Optional.of(since), PAGE).flatMap(found -> switch (found) {
            case NotificationHistory.Found.Lost lost -> {
                // Also on a later page: an event trimmed between two pages leaves a gap only a reload closes.
                delivery.resync();
                delivery.replayed();
                yield Uni.createFrom().voidItem();
            }
            case NotificationHistory.Found.Kept kept -> {
                kept.events().forEach(event -> delivery.kept(event.id(), event.event().toString()));
                if (kept.next().isPresent()) {
                    yield after(userId, kept.next().get(), delivery);
                }
                delivery.replayed();
                yield Uni.createFrom().voidItem();
            }
        });
    }
}
