package dev.clones.deploy;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared Dockerfiles (docker/) follow the conventions the chart relies on. They are also
 * built and run here: `./stack images`, `scripts/stack-smoke.sh --containers`.
 */
class DockerfileTest {

    private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\d+):(\\d+)\\s*$");
    private static final Pattern BASE_ARG = Pattern.compile("(?m)^ARG BASE_IMAGE=(\\S+)\\s*$");

    @Test
    void jvmImageCopiesTheFastJarInLayersFromRarelyToOftenChanged() throws IOException {
        String dockerfile = read("Dockerfile.jvm");
        String base = checkCommon("Dockerfile.jvm", dockerfile);
        assertTrue(base.contains("openjdk-21"), "the production JVM base should be an OpenJDK 21 runtime (the services target release 21), is " + base);
        List<String> layers = List.of("lib/boot/", "lib/main/", "quarkus-run.jar", "quarkus/", "app/");
        int last = -1;
        for (String layer : layers) {
            int at = dockerfile.indexOf("COPY ${APP_DIR}/" + layer);
            assertTrue(at > last, "Dockerfile.jvm must copy " + layer + " as its own layer, in the order " + layers);
            last = at;
        }
        assertTrue(dockerfile.contains("ENTRYPOINT [\"/usr/bin/java\","), "exec-form ENTRYPOINT of /usr/bin/java (no shell, the JVM gets SIGTERM)");
        assertTrue(dockerfile.contains("\"-jar\", \"/deployments/quarkus-run.jar\"]"), "the fast-jar runner");
    }

    @Test
    void nativeImageRunsTheExecutable() throws IOException {
        String dockerfile = read("Dockerfile.native");
        String base = checkCommon("Dockerfile.native", dockerfile);
        assertTrue(base.contains("quarkus-micro") || base.contains("ubi-minimal"), "native base image " + base);
        assertTrue(dockerfile.contains("COPY --chmod=0755 ${APP_RUNNER} /work/application"), "Dockerfile.native must copy the runner");
        assertTrue(dockerfile.contains("ENTRYPOINT [\"/work/application\"]"), "exec-form ENTRYPOINT of the runner");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth-service", "cart-service", "media-service", "report-worker"})
    void noServiceKeepsACopyOfItsOwn(String service) {
        assertFalse(Files.exists(Rendered.LAYOUT.service(service).resolve("src/main/docker")),
                service + "/src/main/docker: the images are built from docker/ at the root, one Dockerfile for all");
    }

    /** Returns the default base image after checking what both files share. */
    private static String checkCommon(String file, String dockerfile) {
        Matcher arg = BASE_ARG.matcher(dockerfile);
        assertTrue(arg.find(), file + ": the runtime base image must be ARG BASE_IMAGE=<production default>");
        String base = arg.group(1);
        assertFalse(base.endsWith(":latest") || !base.substring(base.lastIndexOf('/')).contains(":"), file + ": pin the base image tag, got " + base);
        assertTrue(dockerfile.contains("FROM ${BASE_IMAGE}"), file + ": FROM ${BASE_IMAGE}");
        assertFalse(Pattern.compile("(?m)^RUN\\s").matcher(dockerfile).find(), file + ": no RUN, so it builds on a base without a shell");
        for (String label : List.of("source", "version", "revision")) {
            assertTrue(dockerfile.contains("org.opencontainers.image." + label + "="), file + ": OCI label " + label);
        }
        Matcher user = USER.matcher(dockerfile);
        assertTrue(user.find(), file + ": needs a numeric USER uid:gid (runAsNonRoot can only verify numeric users)");
        PodSecurityContext pod = Rendered.of(ValueSet.DEFAULT).serviceDeployment("auth-service").getSpec().getTemplate().getSpec().getSecurityContext();
        assertEquals(pod.getRunAsUser(), Long.valueOf(user.group(1)), file + ": USER vs the chart's runAsUser");
        assertEquals(pod.getRunAsGroup(), Long.valueOf(user.group(2)), file + ": USER group vs the chart's runAsGroup");
        assertTrue(Long.parseLong(user.group(1)) > 0, file + ": USER must not be root");
        return base;
    }

    private static String read(String file) throws IOException {
        Path path = Rendered.LAYOUT.root().resolve("docker").resolve(file);
        assertTrue(Files.isRegularFile(path), path + " is missing");
        return Files.readString(path);
    }
}
