package dev.clones.cart.catalogue;

import dev.clones.cart.config.CartConfig;
import dev.clones.common.config.ClonesConfig;
import dev.clones.common.pubsub.LiveSubscription;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * The pub/sub subscription that keeps a replica's {@link CatalogueCache} honest: product changes and
 * acknowledgements of changes, on a {@link LiveSubscription} (live only while its heartbeats echo).
 * A replica acknowledges a change only after its listener dropped the copy: the admin's request
 * waits for these.
 */
@ApplicationScoped
public class CatalogueChangeFeed {

    /** Told about the subscription's life and what arrives through it; called on a Vert.x event loop. */
    public interface Listener {
        /** Live (again): anything cached before may have missed changes. Called before {@link #isLive()} turns true. */
        void subscribed();

        /** Lost: called after {@link #isLive()} turned false. */
        void unsubscribed();

        void productChanged(String changeId, String sku);

        /** A replica (this one included) has dropped its copy for this change. */
        void changeApplied(String changeId);
    }

    private static final Logger LOG = Logger.getLogger(CatalogueChangeFeed.class);

    private final String changesChannel;
    private final String appliedChannel;
    private final LiveSubscription subscription;

    public CatalogueChangeFeed(Redis redis, Vertx vertx, CartConfig config, ClonesConfig clones) {
        this.changesChannel = config.catalogue().changesChannel();
        this.appliedChannel = changesChannel + ".applied";
        this.subscription = new LiveSubscription("catalogue subscription", redis, vertx,
                List.of(changesChannel, appliedChannel), changesChannel,
                config.catalogue().heartbeatInterval(),
                config.catalogue().heartbeatInterval().multipliedBy(2).plus(clones.redis().callTimeout()));
    }

    public String changesChannel() {
        return changesChannel;
    }

    public void start(Listener listener) {
        subscription.start(new LiveSubscription.Listener() {
            @Override
            public void subscribed() {
                listener.subscribed();
            }

            @Override
            public void unsubscribed() {
                listener.unsubscribed();
            }

            @Override
            public void message(String channel, String payload) {
                if (changesChannel.equals(channel)) {
                    int space = payload.indexOf(' ');
                    String changeId = space < 0 ? payload : payload.substring(0, space);
                    listener.productChanged(changeId, space < 0 ? "*" : payload.substring(space + 1));
                    subscription.publish(appliedChannel, changeId).subscribe().with(ignored -> { },
                            failure -> LOG.debugf("Could not acknowledge catalogue change %s: %s", changeId, failure));
                } else if (appliedChannel.equals(channel)) {
                    listener.changeApplied(payload);
                }
            }
        });
    }

    /** True while every change published in Redis is known to reach this replica. */
    public boolean isLive() {
        return subscription.isLive();
    }

    void stop(@Observes ShutdownEvent event) {
        subscription.stop();
    }
}
