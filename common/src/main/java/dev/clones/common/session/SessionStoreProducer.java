package dev.clones.common.session;

import dev.clones.common.config.ClonesConfig;
import dev.clones.common.nearcache.NearCacheFeed;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;

/** Sessions in Redis, unless the local stack's demo of the stateful anti-pattern asks otherwise. */
@ApplicationScoped
public class SessionStoreProducer {

    private static final Logger LOG = Logger.getLogger(SessionStoreProducer.class);

    /** Set by {@code ./stack} on every process it starts; nothing else sets it. */
    static final String LOCAL_STACK_MARK = "STACK_OWNER";

    @Produces
    @Singleton
    @Startup // a refused demo mode must stop the replica at start, not at its first request
    SessionStore sessionStore(ReactiveRedisDataSource redis, ClonesConfig config, NearCacheFeed feed) {
        if (!config.demo().replicaLocalSessions()) {
            return new RedisSessionStore(redis, config, feed);
        }
        if (System.getenv(LOCAL_STACK_MARK) == null) {
            throw new IllegalStateException("clones.demo.replica-local-sessions=true is refused: it loses users' sessions"
                    + " by design and exists only for the local stack's demo (./stack up --stateful-demo)");
        }
        LOG.warn("DEMO MODE: sessions live in this replica's memory; users are logged out whenever the load balancer"
                + " sends them to another replica. Never use this outside ./stack up --stateful-demo.");
        return new ReplicaMemorySessionStore(config, Clock.systemUTC());
    }
}
