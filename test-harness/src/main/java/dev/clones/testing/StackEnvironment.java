package dev.clones.testing;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration a service of a {@link TestStack} gets: the part of {@code service_env} in
 * scripts/lib/services.sh that says where Redis, RabbitMQ and S3 are and how to log in to them, plus the seeded
 * admin and the test-friendly bcrypt cost. Each module's fixture adds what is its own (a bucket, retry timings).
 *
 * <p>One set of entries in two forms: {@link #env()}, environment variables as ./stack sets them, for a
 * {@link ServiceProcess}; {@link #properties()}, configuration properties, for an artifact that a
 * {@code @QuarkusIntegrationTest} launches with {@code -D} options. Each variable is the MicroProfile Config
 * environment name of its property, so the two forms cannot drift apart. Where a service reads a variable under a
 * property of another name (report-worker's {@code worker.storage.*} take {@code MEDIA_S3_*}), the properties form
 * names that property too: a {@code -D} option is found only under its exact name.
 */
public final class StackEnvironment {

    /** The admin account every auth-service of a test stack seeds at start. */
    public static final String ADMIN_EMAIL = "admin@test.local";
    public static final String ADMIN_PASSWORD = "admin-password";

    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();

    StackEnvironment() {
        // Every process of the harness listens on loopback only.
        put("quarkus.http.host", "127.0.0.1");
        put("auth.seed-admin.email", ADMIN_EMAIL);
        put("auth.seed-admin.password", ADMIN_PASSWORD);
        // Tests register users by the hundred; bcrypt at the production cost would make them a hashing benchmark.
        put("auth.password.bcrypt-cost", "4");
        // Every test user registers from 127.0.0.1, as on ./stack; LoginThrottleIT sets a small limit to prove it.
        put("auth.throttle.max-registrations-per-address", "1000000");
    }

    /**
     * The configuration for whichever servers are given; a null Redis or S3 adds none of its own, so the service
     * keeps its defaults for it. Without a broker the service gets one that nothing listens on, never whatever
     * broker the machine runs on the default port.
     */
    public static StackEnvironment of(RedisTier redis, RabbitMqServer rabbit, S3Server s3) {
        StackEnvironment environment = new StackEnvironment();
        if (redis != null) {
            environment.redis(redis.uri());
            if (redis instanceof RedisClusterServer cluster) {
                environment.put("quarkus.redis.client-type", cluster.clientType());
                // As ./stack up --redis-cluster: each primary has one replica to confirm a write.
                environment.put("clones.redis.write-replicas", "1");
            }
        }
        if (rabbit != null) {
            environment.rabbitMq(rabbit.host(), rabbit.port(), rabbit.username(), rabbit.password());
        } else {
            environment.rabbitMq("127.0.0.1", FreePorts.next(), "guest", "guest");
        }
        if (s3 != null) {
            environment.s3(s3.endpoint(), s3.accessKey(), s3.secretKey());
        }
        return environment;
    }

    StackEnvironment redis(String uri) {
        put("quarkus.redis.hosts", uri);
        return this;
    }

    /** The messaging connector's global keys, which every service's channels use. */
    StackEnvironment rabbitMq(String host, int port, String username, String password) {
        put("rabbitmq-host", host);
        put("rabbitmq-port", String.valueOf(port));
        put("rabbitmq-username", username);
        put("rabbitmq-password", password);
        return this;
    }

    StackEnvironment s3(String endpoint, String accessKey, String secretKey) {
        put("quarkus.s3.endpoint-override", endpoint);
        put("quarkus.s3.aws.credentials.type", "static");
        put("quarkus.s3.aws.credentials.static-provider.access-key-id", accessKey);
        put("quarkus.s3.aws.credentials.static-provider.secret-access-key", secretKey);
        put("quarkus.s3.aws.region", "us-east-1");
        put("quarkus.s3.path-style-access", "true");
        // Signed URLs name the endpoint that clients reach, here the same as the services'.
        put("media.s3.public-endpoint", endpoint, "worker.storage.public-endpoint");
        // A fresh S3Server has no bucket yet.
        put("media.s3.create-bucket", "true", "worker.storage.create-bucket");
        return this;
    }

    /** The environment variables, as ./stack sets them: a fresh, ordered, mutable copy, for the caller to add to. */
    public Map<String, String> env() {
        return new LinkedHashMap<>(env);
    }

    /** The same as configuration properties: a fresh, ordered, mutable copy, for the caller to add to. */
    public Map<String, String> properties() {
        return new LinkedHashMap<>(properties);
    }

    /** MicroProfile Config's environment name of a property: upper case, every other character than a letter or digit {@code _}. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private void put(String property, String value, String... alsoReadAs) {
        env.put(envName(property), value);
        properties.put(property, value);
        for (String other : alsoReadAs) {
            properties.put(other, value);
        }
    }
}
