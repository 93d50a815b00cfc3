package dev.clones.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the chart, the generated manifests and the services live in this repository. */
public record ProjectLayout(Path root) {

    /** The project root: {@code -Dclones.root}, else the nearest parent of the working directory holding the chart. */
    public static ProjectLayout find() {
        String explicit = System.getProperty("clones.root");
        if (explicit != null && !explicit.isBlank()) {
            return new ProjectLayout(Path.of(explicit).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("helm/clones/Chart.yaml"))) {
                return new ProjectLayout(dir);
            }
        }
        throw new IllegalStateException("No helm/clones/Chart.yaml above " + Path.of("").toAbsolutePath()
                + "; run from the project or set -Dclones.root");
    }

    public Path chart() {
        return root.resolve("helm/clones");
    }

    /** The example values files of the chart, also the sources of the kustomize overlays. */
    public Path chartValues(String name) {
        return chart().resolve("ci").resolve(name);
    }

    public Path k8s() {
        return root.resolve("k8s");
    }

    /** The chart's container run settings that `./stack up --containers` applies (written by {@link GenerateFromChart}). */
    public Path runSettings() {
        return root.resolve("docker/run-settings.json");
    }

    public Path service(String name) {
        return root.resolve(name);
    }

    /** The shared library's MicroProfile config, the defaults under every service's application.properties. */
    public Path commonConfig() {
        return root.resolve("common/src/main/resources/META-INF/microprofile-config.properties");
    }

    public static final List<String> SERVICES = List.of("auth-service", "cart-service", "media-service", "report-worker");
}
