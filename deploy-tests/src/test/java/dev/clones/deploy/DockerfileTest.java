package dev.clones.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

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
 * The images' Dockerfiles follow the conventions the chart relies on (images cannot be built
 * here: there is no registry to pull the base images from).
 */
class DockerfileTest {

    static final List<String> SERVICES = ProjectLayout.SERVICES;
    private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\d+)\\s*$");
    private static final Pattern EXPOSE = Pattern.compile("(?m)^EXPOSE\\s+(\\d+)\\s*$");
    private static final Pattern RUNTIME_ARG = Pattern.compile("(?m)^ARG RUNTIME_IMAGE=(\\S+)\\s*$");

    @ParameterizedTest
    @FieldSource("SERVICES")
    void jvmImageCopiesTheFastJarInLayersAndRunsAsNonRoot(String service) throws IOException {
        String dockerfile = read(service, "Dockerfile.jvm");
        String runtime = checkCommon(service, "Dockerfile.jvm", dockerfile);
        assertTrue(runtime.contains("openjdk-21"), service + ": JVM runtime image should be an OpenJDK 21 runtime, is " + runtime);
        List<String> layers = List.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/", "target/quarkus-app/quarkus/");
        int last = -1;
        for (String layer : layers) {
            int at = dockerfile.indexOf("COPY --chown=185:0 " + layer);
            assertTrue(at > last, service + ": Dockerfile.jvm must copy " + layer + " as its own layer, in the order " + layers);
            last = at;
        }
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void nativeImageRunsTheExecutableAsNonRoot(String service) throws IOException {
        String dockerfile = read(service, "Dockerfile.native");
        String runtime = checkCommon(service, "Dockerfile.native", dockerfile);
        assertTrue(runtime.contains("quarkus-micro") || runtime.contains("ubi-minimal"), service + ": native runtime image " + runtime);
        assertTrue(dockerfile.contains("target/*-runner /work/application"), service + ": Dockerfile.native must copy the runner");
    }

    /** Returns the default runtime image after checking what both files share. */
    private static String checkCommon(String service, String file, String dockerfile) {
        Matcher arg = RUNTIME_ARG.matcher(dockerfile);
        assertTrue(arg.find(), service + "/" + file + ": the runtime base image must be ARG RUNTIME_IMAGE=<default>");
        String runtime = arg.group(1);
        assertFalse(runtime.endsWith(":latest") || !runtime.substring(runtime.lastIndexOf('/')).contains(":"),
                service + "/" + file + ": pin the runtime image tag, got " + runtime);
        assertTrue(dockerfile.contains("FROM ${RUNTIME_IMAGE}"), service + "/" + file + ": FROM ${RUNTIME_IMAGE}");
        Matcher user = USER.matcher(dockerfile);
        assertTrue(user.find(), service + "/" + file + ": needs a numeric USER (runAsNonRoot can only verify numeric users)");
        assertTrue(Integer.parseInt(user.group(1)) > 0, service + "/" + file + ": USER must not be root");
        QuarkusConfig.ofService(Rendered.LAYOUT, service).ifPresent(config -> {
            Matcher expose = EXPOSE.matcher(dockerfile);
            assertTrue(expose.find(), service + "/" + file + ": EXPOSE the HTTP port");
            assertEquals(config.httpPort(), Integer.parseInt(expose.group(1)), service + "/" + file + ": EXPOSE vs quarkus.http.port");
        });
        return runtime;
    }

    private static String read(String service, String file) throws IOException {
        Path path = Rendered.LAYOUT.service(service).resolve("src/main/docker").resolve(file);
        assertTrue(Files.isRegularFile(path), path + " is missing");
        return Files.readString(path);
    }
}
