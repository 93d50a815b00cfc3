package dev.clones.common.redis;

import dev.clones.common.config.ClonesConfig;

import java.time.Duration;

/** {@code clones.redis.*} as a test gives it to {@link RedisCalls} and the stores built on it, without Quarkus. */
public record RedisSettings(Duration callTimeout, int writeReplicas, Duration replicaTimeout, String clientType)
        implements ClonesConfig.Redis {

    /** A call timeout far above anything a call takes here, and a replica timeout short enough to wait out often. */
    public static RedisSettings of(int writeReplicas, String clientType) {
        return new RedisSettings(Duration.ofSeconds(10), writeReplicas, Duration.ofMillis(300), clientType);
    }
}
