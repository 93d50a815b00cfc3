package dev.clones.media.notifications;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Live notifications: where events arrive from and how the subscription is kept honest. */
@ConfigMapping(prefix = "media.notifications")
public interface NotificationsConfig {

    /**
     * Redis pub/sub channel on which workers (and any replica) publish {@code {"userId", "event"}}; every
     * replica subscribes and delivers to its own open connections of that user.
     */
    @WithDefault("notifications")
    String channel();

    /** Each replica publishes a heartbeat to itself this often; a subscription whose last echoed beat is three beats old is renewed. */
    @WithDefault("PT2S")
    Duration heartbeatInterval();
}
