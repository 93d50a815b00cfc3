package dev.clones.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The packaged jars of the suite's other modules, for tests that need a second service next to theirs. */
public final class PackagedServices {

    private PackagedServices() {
    }

    /** The copies made by this JVM, by module. */
    private static final Map<String, Path> COPIES = new HashMap<>();

    /**
     * A private copy of {@code <module>/target/quarkus-app}, and its {@code quarkus-run.jar}. A copy, because a build
     * of that module running meanwhile (other builds share the machine) would replace the jar under the process.
     * Made once per JVM: a second copy would replace the first under the processes that still run it.
     */
    public static synchronized Path copyOf(String module) {
        return COPIES.computeIfAbsent(module, PackagedServices::copy);
    }

    private static Path copy(String module) {
        Path packaged = projectRoot().resolve(module).resolve("target/quarkus-app");
        if (!Files.isRegularFile(packaged.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(module + " is not packaged at " + packaged
                    + ": run ./mvnw -pl " + module + " -am package -DskipTests first");
        }
        Path copy = Path.of(System.getProperty("user.dir"), "target", "it-" + module);
        copyTree(packaged, copy);
        return copy.resolve("quarkus-run.jar");
    }

    /** The -Dproject.root system property (failsafe sets it), else the parent of the working directory. */
    static Path projectRoot() {
        String configured = System.getProperty("project.root");
        return (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
    }

    private static void copyTree(Path from, Path to) {
        try {
            if (Files.exists(to)) {
                try (Stream<Path> old = Files.walk(to)) {
                    old.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            try (Stream<Path> paths = Files.walk(from)) {
                for (Path source : (Iterable<Path>) paths::iterator) {
                    Path target = to.resolve(from.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + from + " to " + to, e);
        }
    }
}
