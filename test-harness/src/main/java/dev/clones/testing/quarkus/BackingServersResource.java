package dev.clones.testing.quarkus;

import dev.clones.testing.TestStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A {@link TestStack} for a {@code @QuarkusIntegrationTest}: real Redis, RabbitMQ and S3Proxy on free loopback
 * ports, and the configuration that points the packaged service (jar or native binary) at them, the stack's
 * {@link dev.clones.testing.StackEnvironment} as properties because Quarkus hands them to the launched artifact as
 * {@code -D} options. A field of type {@link TestStack} in the test class receives the stack, so the test can look
 * at what the service stored or play another service's part.
 *
 * <pre>{@code
 * @QuarkusIntegrationTest
 * @WithTestResource(value = BackingServersResource.class, initArgs = {
 *         @ResourceArg(name = BackingServersResource.SERVERS, value = "redis,s3"),
 *         @ResourceArg(name = BackingServersResource.AUTH_SERVICE, value = "true"),
 *         @ResourceArg(name = "media.files.max-size", value = "1M") })
 * class MediaServicePackagedIT {
 *     TestStack servers;   // injected
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
    private TestStack stack;

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
        TestStack.Builder builder = TestStack.builder();
        if (wanted.contains("redis")) {
            builder.redis();
        }
        if (wanted.contains("rabbitmq")) {
            builder.rabbitMq();
        }
        if (wanted.contains("s3")) {
            builder.s3();
        }
        if (withAuthService) {
            builder.authService();
        }
        stack = builder.build();
        Map<String, String> config = stack.environment().properties();
        config.putAll(passedOn);
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(stack, new TestInjector.MatchesType(TestStack.class));
    }

    @Override
    public void stop() {
        // The service under test has stopped by now.
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }
}
