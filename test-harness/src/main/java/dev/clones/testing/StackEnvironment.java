package dev.clones.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment ./stack gives every service (service_env in scripts/lib/services.sh), pointed at the backing
 * servers of a test: the variables that say where Redis, RabbitMQ and S3 are and how to log in to them. Each test
 * fixture adds what is its own (a bucket, retry timings, seeded users).
 */
public final class StackEnvironment {

    private StackEnvironment() {
    }

    /**
     * The variables for whichever servers are given; a null server adds none of its own, so the service keeps its
     * defaults for it. The map is a fresh, ordered, mutable copy, for the caller to add to.
     */
    public static Map<String, String> of(RedisServer redis, RabbitMqServer rabbit, S3Server s3) {
        Map<String, String> env = new LinkedHashMap<>();
        if (redis != null) {
            env.put("QUARKUS_REDIS_HOSTS", redis.uri());
        }
        if (rabbit != null) {
            env.put("RABBITMQ_HOST", rabbit.host());
            env.put("RABBITMQ_PORT", String.valueOf(rabbit.port()));
            env.put("RABBITMQ_USERNAME", rabbit.username());
            env.put("RABBITMQ_PASSWORD", rabbit.password());
        }
        if (s3 != null) {
            env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", s3.endpoint());
            env.put("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID", s3.accessKey());
            env.put("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY", s3.secretKey());
            // Signed URLs name the endpoint that clients reach, here the same as the services'.
            env.put("MEDIA_S3_PUBLIC_ENDPOINT", s3.endpoint());
            // A fresh S3Server has no bucket yet.
            env.put("MEDIA_S3_CREATE_BUCKET", "true");
        }
        return env;
    }
}
