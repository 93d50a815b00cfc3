package dev.clones.media.notifications;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clones.common.config.ClonesConfig;
import dev.clones.common.redis.RedisCalls;
import dev.clones.common.redis.RedisScript;
import dev.clones.contracts.NotificationKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A user's kept events, read from the stream report-worker appends to in the same script that publishes each
 * event ({@code notifications:events:{userId}}; the worker's configuration bounds it by count and age). Read only
 * here: media-service never writes it.
 */
@ApplicationScoped
public class NotificationHistory {

    private static final Logger LOG = Logger.getLogger(NotificationHistory.class);
    private static final RedisScript AFTER = RedisScript.fromResource("lua/notification-history.lua");

    private final ReactiveRedisDataSource redis;
    private final RedisCalls calls;
    private final ObjectMapper json;

    public NotificationHistory(ReactiveRedisDataSource redis, ClonesConfig clones, ObjectMapper json) {
        this.redis = redis;
        this.calls = new RedisCalls(clones.redis());
        this.json = json;
    }

    /** One kept event: its id and its JSON as the socket sends it (with {@code eventId}). */
    public record KeptEvent(EventId id, ObjectNode event) {
    }

    /** What reading after an event found. */
    public sealed interface Found {
        /**
         * The events after it, oldest first; {@code next} is where the next page starts (after the last entry of this
         * one) when further events follow these, empty when these are the newest.
         */
        record Kept(List<KeptEvent> events, Optional<EventId> next) implements Found {
        }

        /** The event is no longer kept (trimmed or expired): what followed it may be gone; the client must reload. */
        record Lost() implements Found {
        }
    }

    /** At most {@code limit} of the user's kept events after {@code since} (empty: from the oldest kept), oldest first. */
    public Uni<Found> after(String userId, Optional<EventId> since, int limit) {
        return calls.bounded(AFTER.run(redis, List.of(NotificationKeys.events(userId)),
                        List.of(since.map(EventId::toString).orElse(""), Integer.toString(limit))))
                .map(this::found);
    }

    private Found found(Response reply) {
        if ("lost".equals(reply.get(0).toString())) {
            return new Found.Lost();
        }
        List<KeptEvent> events = new ArrayList<>();
        EventId last = null;
        for (int i = 2; i + 1 < reply.size(); i += 2) {
            String id = reply.get(i).toString();
            String text = reply.get(i + 1).toString();
            Optional<EventId> eventId = EventId.parse(id);
            last = eventId.orElse(last);
            try {
                if (eventId.isPresent() && json.readTree(text) instanceof ObjectNode event) {
                    event.put("eventId", id);
                    events.add(new KeptEvent(eventId.get(), event));
                    continue;
                }
            } catch (Exception e) {
                // falls through: skipped like any other unreadable entry
            }
            LOG.debugf("Skipping an unreadable kept event %s: %s", id, text);
        }
        boolean more = reply.get(1).toInteger() == 1;
        return new Found.Kept(events, more ? Optional.ofNullable(last) : Optional.empty());
    }
}
