package dev.clones.testing.quarkus;

import dev.clones.testing.FreePorts;
import dev.clones.testing.PackagedServices;
import dev.clones.testing.RabbitMqServer;
import dev.clones.testing.RedisServer;
import dev.clones.testing.S3Server;
import dev.clones.testing.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Real Redis, RabbitMQ and S3Proxy on free loopback ports for a {@code @QuarkusIntegrationTest}, and the
 * configuration that points the packaged service (jar or native binary) at them: the same contract as
 * {@code service_env} in scripts/lib/services.sh, written as properties because Quarkus hands them to the
 * launched artifact as {@code -D} options.
 *
 * <pre>{@code
 * @QuarkusIntegrationTest
 * @WithTestResource(value = BackingServersResource.class, initArgs = {
 *         @ResourceArg(name = BackingServersResource.SERVERS, value = "redis,s3"),
 *         @ResourceArg(name = BackingServersResource.AUTH_SERVICE, value = "true"),
 *         @ResourceArg(name = "media.files.max-size", value = "1M") })
 * class MediaServicePackagedIT {
 *     BackingServers servers;   // injected
 * }
 * }</pre>
 *
 * <p>Arguments: {@value #SERVERS} (any of {@code redis}, {@code rabbitmq}, {@code s3}; {@code redis} by default),
 * {@value #AUTH_SERVICE} ({@code true}: also auth-service's packaged jar on the same Redis), and any argument whose
 * name holds a dot, which is passed on to the service as a configuration property.
 */
public class BackingServersResource implements QuarkusTestResourceLifecycleManager {

    public static final String SERVERS = "servers";
    public static final String AUTH_SERVICE = "auth-service";

    private Set<String> wanted = Set.of("redis");
    private boolean withAuthService;
    private final Map<String, String> passedOn = new LinkedHashMap<>();
    private final List<AutoCloseable> started = new ArrayList<>();
    private BackingServers servers;

    @Override
    public void init(Map<String, String> args) {
        args.forEach((name, value) -> {
            switch (name) {
                case SERVERS -> wanted = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
                case AUTH_SERVICE -> withAuthService = Boolean.parseBoolean(value);
                default -> {
                    if (!name.contains(".")) {
                        throw new IllegalArgumentException("Unknown argument " + name + " of " + getClass().getSimpleName());
                    }
                    passedOn.put(name, value);
                }
            }
        });
        for (String server : wanted) {
            if (!Set.of("redis", "rabbitmq", "s3").contains(server)) {
                throw new IllegalArgumentException("Unknown server '" + server + "' in " + SERVERS + ": redis, rabbitmq or s3");
            }
        }
        if (withAuthService && !wanted.contains("redis")) {
            throw new IllegalArgumentException(AUTH_SERVICE + " needs redis in " + SERVERS);
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            return startServers();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private Map<String, String> startServers() {
        Map<String, String> config = new LinkedHashMap<>();
        // The artifact listens on loopback only, like every process of the harness.
        config.put("quarkus.http.host", "127.0.0.1");

        RedisServer redis = wanted.contains("redis") ? track(RedisServer.start()) : null;
        if (redis != null) {
            config.put("quarkus.redis.hosts", redis.uri());
        }
        // auth-service boots while the slower servers below do.
        ServiceProcess auth = withAuthService ? track(ServiceProcess.builder()
                .name("auth-for-packaged-it")
                .jar(PackagedServices.copyOf("auth-service"))
                .heap("128m")
                .env("QUARKUS_REDIS_HOSTS", redis.uri())
                .env("AUTH_PASSWORD_BCRYPT_COST", "4")
                .startWithoutWaitingForReady()) : null;

        RabbitMqServer rabbit = wanted.contains("rabbitmq") ? track(RabbitMqServer.start()) : null;
        // The messaging connector's global keys (RABBITMQ_HOST, ... in the environment contract). Without a broker
        // of its own the service gets a port nothing listens on, never whatever broker the machine runs on 5672.
        config.put("rabbitmq-host", "127.0.0.1");
        config.put("rabbitmq-port", String.valueOf(rabbit != null ? rabbit.port() : FreePorts.next()));
        config.put("rabbitmq-username", rabbit != null ? rabbit.username() : "guest");
        config.put("rabbitmq-password", rabbit != null ? rabbit.password() : "guest");

        S3Server s3 = wanted.contains("s3") ? track(S3Server.start()) : null;
        if (s3 != null) {
            config.put("quarkus.s3.endpoint-override", s3.endpoint());
            config.put("quarkus.s3.aws.credentials.type", "static");
            config.put("quarkus.s3.aws.credentials.static-provider.access-key-id", s3.accessKey());
            config.put("quarkus.s3.aws.credentials.static-provider.secret-access-key", s3.secretKey());
            config.put("quarkus.s3.path-style-access", "true");
            // MEDIA_S3_PUBLIC_ENDPOINT and MEDIA_S3_CREATE_BUCKET, under the names each service reads them by.
            config.put("media.s3.public-endpoint", s3.endpoint());
            config.put("media.s3.create-bucket", "true");
            config.put("worker.storage.public-endpoint", s3.endpoint());
            config.put("worker.storage.create-bucket", "true");
        }
        if (auth != null) {
            auth.awaitReady();
        }
        config.putAll(passedOn);
        servers = new BackingServers(redis, rabbit, s3, auth);
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(servers, new TestInjector.MatchesType(BackingServers.class));
    }

    @Override
    public void stop() {
        // The service under test has stopped by now; its helpers go first, then what they ran on.
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("Cannot stop " + started.get(i) + ": " + e);
            }
        }
        started.clear();
    }

    private <T extends AutoCloseable> T track(T server) {
        started.add(server);
        return server;
    }
}
