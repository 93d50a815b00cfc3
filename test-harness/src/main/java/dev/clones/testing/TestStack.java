package dev.clones.testing;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * The test cluster of every module: the backing servers a test wants on free loopback ports, optionally an
 * auth-service to log users in as clients do, the one configuration that points a service at them
 * ({@link StackEnvironment}), and the replicas of the service under test on top. Each module's fixture is a thin
 * layer over it (its own data, its own calls); {@code BackingServersResource} builds one for a
 * {@code @QuarkusIntegrationTest}.
 *
 * <pre>{@code
 * try (TestStack stack = TestStack.builder().redis().s3().authService().build()) {
 *     ServiceProcess media = stack.start("media-a", Map.of("MEDIA_FILES_MAX_SIZE", "1M"));
 *     media.http().auth().oauth2(stack.newSession()).get("/api/media/files").then().statusCode(200);
 * }
 * }</pre>
 *
 * <p>Invariants: everything the stack starts, and everything given to {@link #track}, is closed by {@link #close()}
 * in reverse order, so a service stops before the servers it runs on; a {@link Builder#build()} that fails leaves
 * nothing running.
 */
public final class TestStack implements AutoCloseable {

    /**
     * The system property that says which Redis {@link Builder#redis()} starts: {@value #CLUSTER} for a
     * {@link RedisClusterServer}, anything else (or nothing) for one {@link RedisServer}. The build runs the tests
     * of the Redis-facing features a second time with it set.
     */
    public static final String REDIS_TIER = "clones.it.redis";
    public static final String CLUSTER = "cluster";

    private final RedisTier redis;
    private final RabbitMqServer rabbitMq;
    private final S3Server s3;
    private final ServiceProcess authService;
    private final StackEnvironment environment;
    private final List<String> jvmArgs;
    private final Duration readyTimeout;
    private final List<AutoCloseable> started;
    private final List<ServiceProcess> services = new ArrayList<>();

    private TestStack(Starting starting, StackEnvironment environment) {
        this.redis = starting.redis;
        this.rabbitMq = starting.rabbitMq;
        this.s3 = starting.s3;
        this.authService = starting.authService;
        this.environment = environment;
        this.jvmArgs = starting.builder.jvmArgs;
        this.readyTimeout = starting.builder.readyTimeout;
        this.started = starting.started;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The one Redis server, for tests that stop, restart or proxy it; fails on a stack run on a Redis Cluster. */
    public RedisServer redis() {
        if (require(redis, "redis") instanceof RedisServer server) {
            return server;
        }
        throw new IllegalStateException("this stack runs on a Redis Cluster (" + REDIS_TIER + "=" + CLUSTER
                + "): a test that needs the one server cannot run on it");
    }

    /** The stack's Redis, one server or a cluster: for tests that only look into it. */
    public RedisTier redisTier() {
        return require(redis, "redis");
    }

    public RabbitMqServer rabbitMq() {
        return require(rabbitMq, "rabbitMq");
    }

    public S3Server s3() {
        return require(s3, "s3");
    }

    /** The auth-service on the stack's Redis, to register and log users in as clients do. */
    public ServiceProcess authService() {
        return require(authService, "authService");
    }

    /** The configuration that points a service at this stack's servers. */
    public StackEnvironment environment() {
        return environment;
    }

    /** {@link #environment()} as environment variables: a fresh, mutable copy. */
    public Map<String, String> serviceEnv() {
        return environment.env();
    }

    /**
     * A process of the service under test (the module's packaged jar, {@code -Dapp.jar}) named {@code name}, with
     * the stack's environment and JVM options; anything set on the builder afterwards wins. Start it with
     * {@link #start(ServiceProcess.Builder)}, or give it another module's jar ({@link PackagedServices#copyOf}) first.
     */
    public ServiceProcess.Builder service(String name) {
        return ServiceProcess.builder().name(name).env(environment.env()).readyTimeout(readyTimeout)
                .jvmArgs(jvmArgs.toArray(String[]::new));
    }

    /** Starts a process of the service under test with the stack's environment and {@code env} on top, and waits until it is ready. */
    public ServiceProcess start(String name, Map<String, String> env) {
        return start(service(name).env(env));
    }

    /** Starts the process and waits until it is ready; it stops with the stack. */
    public ServiceProcess start(ServiceProcess.Builder service) {
        return startAll(List.of(service)).getFirst();
    }

    /** Launches all processes at once, then waits until each is ready: they boot side by side. */
    public List<ServiceProcess> startAll(List<ServiceProcess.Builder> services) {
        List<ServiceProcess> launched = services.stream().map(this::launch).toList();
        launched.forEach(ServiceProcess::awaitReady);
        return launched;
    }

    /** Launches the process and returns at once, e.g. when its backends are down on purpose; it stops with the stack. */
    public synchronized ServiceProcess launch(ServiceProcess.Builder service) {
        ServiceProcess process = track(service.startWithoutWaitingForReady());
        services.add(process);
        return process;
    }

    /** The processes started by {@link #start}, {@link #startAll} and {@link #launch}, in that order (not the auth-service). */
    public synchronized List<ServiceProcess> services() {
        return Collections.unmodifiableList(services);
    }

    /** Closes {@code resource} with the stack, before everything that was started before it. */
    public synchronized <T extends AutoCloseable> T track(T resource) {
        started.add(resource);
        return resource;
    }

    /** Stops what the stack started and was given, newest first; a failure to close one is reported and the rest still closed. */
    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("Cannot close " + started.get(i) + ": " + e);
            }
        }
        started.clear();
        services.clear();
    }

    @Override
    public String toString() {
        return "TestStack[redis=" + redis + ", rabbitMq=" + rabbitMq + ", s3=" + s3 + ", authService=" + authService + "]";
    }

    // --- users, through the auth-service -------------------------------------------------------

    /** A fresh user, registered and logged in through {@link #authService()}; answers the session token. */
    public String newSession() {
        return newSession(authService());
    }

    /** Logs in through {@link #authService()}; answers the session token. */
    public String session(String email, String password) {
        return login(authService(), email, password).then().statusCode(200).extract().path("sessionId");
    }

    /** The seeded admin's session ({@link StackEnvironment#ADMIN_EMAIL}). */
    public String adminSession() {
        return session(StackEnvironment.ADMIN_EMAIL, StackEnvironment.ADMIN_PASSWORD);
    }

    /** The id of the user a session belongs to, as {@code /api/auth/me} answers it. */
    public String userId(String session) {
        return given().spec(authService().http()).auth().oauth2(session).get("/api/auth/me").then().statusCode(200)
                .extract().path("id");
    }

    public static String uniqueEmail() {
        return "user-" + UUID.randomUUID() + "@example.org";
    }

    /** Registers a user at an auth-service, as a client does. */
    public static Response register(ServiceProcess auth, String email, String password) {
        return given().spec(auth.http()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password, "displayName", "Test User"))
                .post("/api/auth/register");
    }

    public static Response login(ServiceProcess auth, String email, String password) {
        return given().spec(auth.http()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password))
                .post("/api/auth/login");
    }

    /** Registers a fresh user at an auth-service and logs in; answers the session token. */
    public static String newSession(ServiceProcess auth) {
        String email = uniqueEmail();
        register(auth, email, "correct-horse").then().statusCode(201);
        return login(auth, email, "correct-horse").then().statusCode(200).extract().path("sessionId");
    }

    private static <T> T require(T part, String name) {
        if (part == null) {
            throw new IllegalStateException(name + " is not part of this stack: ask its builder for it (." + name + "())");
        }
        return part;
    }

    /** Says which servers to start; {@link #build()} starts them. */
    public static final class Builder {
        private boolean redis;
        private boolean rabbitMq;
        private boolean s3;
        private boolean authService;
        private Map<String, String> authServiceEnv = Map.of();
        private final List<String> jvmArgs = new ArrayList<>();
        private Duration readyTimeout = Duration.ofSeconds(180);

        private Builder() {
        }

        public Builder redis() {
            redis = true;
            return this;
        }

        public Builder rabbitMq() {
            rabbitMq = true;
            return this;
        }

        public Builder s3() {
            s3 = true;
            return this;
        }

        /** auth-service's packaged jar (a private copy) on the stack's Redis, which it needs. */
        public Builder authService() {
            return authService(Map.of());
        }

        /** The same with {@code env} on top of the stack's environment. */
        public Builder authService(Map<String, String> env) {
            authService = true;
            authServiceEnv = Map.copyOf(env);
            return this;
        }

        /** JVM options of every service process of the stack, the auth-service included. */
        public Builder jvmArgs(String... args) {
            jvmArgs.addAll(List.of(args));
            return this;
        }

        /** How long the stack waits for each of its service processes to get ready; 180 s by default. */
        public Builder readyTimeout(Duration timeout) {
            readyTimeout = timeout;
            return this;
        }

        /** Starts the servers and returns once all are ready; stops those already started if one fails. */
        public TestStack build() {
            if (authService && !redis) {
                throw new IllegalStateException("authService needs redis: ask the builder for both");
            }
            Starting starting = new Starting(this);
            try {
                return starting.run();
            } catch (RuntimeException e) {
                starting.stop();
                throw e;
            }
        }
    }

    /** The servers of one {@link Builder#build()} while they start. */
    private static final class Starting {
        final Builder builder;
        final List<AutoCloseable> started = new ArrayList<>();
        RedisTier redis;
        RabbitMqServer rabbitMq;
        S3Server s3;
        ServiceProcess authService;

        Starting(Builder builder) {
            this.builder = builder;
        }

        TestStack run() {
            redis = builder.redis ? startRedis() : null;
            if (builder.authService) {
                // auth-service needs only Redis: launched now, it boots while the broker and storage start.
                authService = track(ServiceProcess.builder().name("auth-helper").jar(PackagedServices.copyOf("auth-service"))
                        .heap("128m").readyTimeout(builder.readyTimeout).jvmArgs(builder.jvmArgs.toArray(String[]::new))
                        .env(StackEnvironment.of(redis, null, null).env()).env(builder.authServiceEnv)
                        .startWithoutWaitingForReady());
            }
            rabbitMq = builder.rabbitMq ? track(RabbitMqServer.start()) : null;
            s3 = builder.s3 ? track(S3Server.start()) : null;
            if (authService != null) {
                authService.awaitReady();
            }
            return new TestStack(this, StackEnvironment.of(redis, rabbitMq, s3));
        }

        void stop() {
            new TestStack(this, null).close();
        }

        private RedisTier startRedis() {
            return CLUSTER.equals(System.getProperty(REDIS_TIER)) ? track(RedisClusterServer.start()) : track(RedisServer.start());
        }

        private <T extends AutoCloseable> T track(T server) {
            started.add(server);
            return server;
        }
    }
}
