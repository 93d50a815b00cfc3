package dev.clones.media.notifications;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Live notifications: where events arrive from and how the subscription is kept honest. */
@ConfigMapping(prefix = "media.notifications")
public interface NotificationsConfig {

    /**
     * The channel on which the workers of the previous release broadcast every user's events to every replica; still
     * heard, so that an upgrade with old workers running loses no live event. Nothing of this release publishes on
     * it (events go to each user's own channel), so hearing it costs nothing once the old workers are gone.
     */
    @WithDefault("notifications")
    String broadcastChannel();

    /** Each replica publishes a heartbeat to itself this often; a subscription whose last echoed beat is three beats old is renewed. */
    @WithDefault("PT2S")
    Duration heartbeatInterval();

    /**
     * How often this replica asks Redis whether the sessions of its open connections still exist, and closes those
     * whose session ended (logout, revoke, revoke-all, expiry), on whichever replica that happened: a socket never
     * outlives its session by more than this plus one round trip. One pipelined round trip per check, whatever the
     * number of connections.
     */
    @WithDefault("PT0.5S")
    Duration sessionCheckInterval();

    /**
     * On SIGTERM, how long this replica waits for the 1012 close frames of its notification sockets to be written
     * before Quarkus goes on with its shutdown delay ({@link NotificationDrain}). Writing a close frame takes a round
     * of the event loop; the bound only keeps a stuck peer from holding the shutdown, and it is part of the pod's
     * termination budget (the Helm chart's terminationGracePeriodSeconds guard counts it).
     */
    @WithDefault("PT2S")
    Duration drainTimeout();
}
