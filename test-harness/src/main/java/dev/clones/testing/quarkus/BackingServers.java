package dev.clones.testing.quarkus;

import dev.clones.testing.RabbitMqServer;
import dev.clones.testing.RedisServer;
import dev.clones.testing.S3Server;
import dev.clones.testing.ServiceProcess;
import io.restassured.http.ContentType;

import java.util.Map;
import java.util.UUID;

/**
 * The servers {@link BackingServersResource} started for a {@code @QuarkusIntegrationTest}; a field of this type in
 * the test class receives them, so the test can look at what the service stored or play another service's part.
 */
public final class BackingServers {

    private final RedisServer redis;
    private final RabbitMqServer rabbitMq;
    private final S3Server s3;
    private final ServiceProcess authService;

    BackingServers(RedisServer redis, RabbitMqServer rabbitMq, S3Server s3, ServiceProcess authService) {
        this.redis = redis;
        this.rabbitMq = rabbitMq;
        this.s3 = s3;
        this.authService = authService;
    }

    public RedisServer redis() {
        return require(redis, "redis");
    }

    public RabbitMqServer rabbitMq() {
        return require(rabbitMq, "rabbitmq");
    }

    public S3Server s3() {
        return require(s3, "s3");
    }

    /** An auth-service process on the same Redis, to register and log users in as clients do. */
    public ServiceProcess authService() {
        return require(authService, "auth-service");
    }

    /** Registers a fresh user through {@link #authService()} and logs in, as a client does; answers the session token. */
    public String newSession() {
        String email = "packaged-" + UUID.randomUUID() + "@example.org";
        authService().http().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "correct-horse", "displayName", "Packaged"))
                .post("/api/auth/register").then().statusCode(201);
        return authService().http().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "correct-horse"))
                .post("/api/auth/login").then().statusCode(200).extract().path("sessionId");
    }

    private static <T> T require(T server, String name) {
        if (server == null) {
            throw new IllegalStateException(name + " was not started: list it in the resource's \""
                    + BackingServersResource.SERVERS + "\" argument");
        }
        return server;
    }
}
