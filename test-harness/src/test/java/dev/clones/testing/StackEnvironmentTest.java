package dev.clones.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The configuration a service of a test stack gets, without starting anything. */
class StackEnvironmentTest {

    private static final String REDIS = "redis://127.0.0.1:20001";
    private static final String S3 = "http://127.0.0.1:20002";

    @Test
    void aStackWithRedisAndS3PointsTheServiceAtBothAndAtNoBroker() {
        Map<String, String> env = StackEnvironment.of(null, null, null).redis(REDIS).s3(S3, "key", "secret").env();

        assertEquals(REDIS, env.get("QUARKUS_REDIS_HOSTS"));
        assertEquals(S3, env.get("QUARKUS_S3_ENDPOINT_OVERRIDE"));
        assertEquals("key", env.get("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID"));
        assertEquals("secret", env.get("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY"));
        assertEquals(S3, env.get("MEDIA_S3_PUBLIC_ENDPOINT"));
        assertEquals("true", env.get("MEDIA_S3_CREATE_BUCKET"));
        assertEquals("127.0.0.1", env.get("QUARKUS_HTTP_HOST"));
        assertEquals(StackEnvironment.ADMIN_EMAIL, env.get("AUTH_SEED_ADMIN_EMAIL"));
        assertEquals("4", env.get("AUTH_PASSWORD_BCRYPT_COST"));

        int port = Integer.parseInt(env.get("RABBITMQ_PORT"));
        assertNotEquals(5672, port, "never the machine's own broker");
        assertTrue(FreePorts.isFree(port), "a broker port nothing listens on");
    }

    @Test
    void withoutRedisOrS3TheServiceKeepsItsOwnDefaults() {
        Map<String, String> env = StackEnvironment.of(null, null, null).env();

        assertFalse(env.containsKey("QUARKUS_REDIS_HOSTS"));
        assertTrue(env.keySet().stream().noneMatch(name -> name.contains("S3")), env.toString());
    }

    @Test
    void theBrokerIsGivenByTheConnectorsGlobalKeys() {
        Map<String, String> properties = StackEnvironment.of(null, null, null).rabbitMq("127.0.0.1", 20003, "u", "p").properties();

        assertEquals(Map.of("rabbitmq-host", "127.0.0.1", "rabbitmq-port", "20003", "rabbitmq-username", "u",
                "rabbitmq-password", "p"), properties.entrySet().stream().filter(e -> e.getKey().startsWith("rabbitmq-"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Test
    void thePropertiesAreTheSameEntriesUnderTheNamesTheServicesReadThemBy() {
        StackEnvironment environment = StackEnvironment.of(null, null, null).redis(REDIS).s3(S3, "key", "secret");
        Map<String, String> env = environment.env();
        Map<String, String> properties = environment.properties();

        properties.forEach((property, value) -> {
            String name = StackEnvironment.envName(property);
            if (env.containsKey(name)) {
                assertEquals(env.get(name), value, property);
            }
        });
        assertEquals(env.keySet(), properties.keySet().stream().map(StackEnvironment::envName)
                .filter(env::containsKey).collect(Collectors.toSet()), "every variable has its property");
        assertEquals(REDIS, properties.get("quarkus.redis.hosts"));
        // report-worker reads MEDIA_S3_* under worker.storage.*: a -D option has to name that property itself.
        assertEquals(S3, properties.get("media.s3.public-endpoint"));
        assertEquals(S3, properties.get("worker.storage.public-endpoint"));
        assertEquals("true", properties.get("worker.storage.create-bucket"));
        assertEquals("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID",
                StackEnvironment.envName("quarkus.s3.aws.credentials.static-provider.access-key-id"));
    }

    @Test
    void everyVariableIsOneThatStackGivesItsServicesToo() throws IOException {
        String script = Files.readString(PackagedServices.projectRoot().resolve("scripts/lib/services.sh"));
        String serviceEnv = script.substring(script.indexOf("service_env() {"), script.indexOf("start_replica() {"));
        Matcher assignment = Pattern.compile("\\b([A-Z][A-Z0-9_]*)=").matcher(serviceEnv);
        Set<String> stackNames = assignment.results().map(m -> m.group(1)).collect(Collectors.toSet());

        Set<String> ours = StackEnvironment.of(null, null, null).redis(REDIS).s3(S3, "key", "secret").env().keySet();
        assertTrue(stackNames.containsAll(ours), "not in service_env: "
                + ours.stream().filter(name -> !stackNames.contains(name)).toList());
    }
}
