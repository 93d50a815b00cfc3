package dev.clones.auth;

import dev.clones.testing.ServiceProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading with a session does not write Redis: the idle timeout is refreshed at most once per refresh
 * interval, so a page of reads is not a page of fsyncs. Holds with the near cache off too, where every
 * read goes to Redis.
 */
class SessionReadsIT {

    @ParameterizedTest(name = "near cache enabled: {0}")
    @ValueSource(booleans = {true, false})
    void fiveHundredAuthenticatedReadsAcrossTwoReplicasWriteAtMostTenTimes(boolean nearCache) {
        // A lease of an hour: the replicas renew their near-cache leases every third of it, writes made by the clock,
        // not by reads. With the default 10 s, a run slowed by a busy machine counted 20 of them.
        try (AuthCluster cluster = AuthCluster.start(2, Map.of("CLONES_NEAR_CACHE_ENABLED", Boolean.toString(nearCache),
                "CLONES_NEAR_CACHE_LEASE", "PT1H"))) {
            ServiceProcess a = cluster.replica(0);
            ServiceProcess b = cluster.replica(1);
            String sid = AuthCluster.newSession(a);
            long before = cluster.redisWrites();
            for (int i = 0; i < 500; i++) {
                assertEquals(200, AuthCluster.me(i % 2 == 0 ? a : b, sid).statusCode());
            }
            long written = cluster.redisWrites() - before;
            // A refresh of the session (one HSET and one PEXPIRE) each time its interval (60 s) passes.
            assertTrue(written <= 10, "500 authenticated reads wrote Redis " + written + " times");
        }
    }
}
