package dev.clones.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** k8s/ (kustomize base and overlays) is what the chart renders, and kubectl can build it. */
class KustomizeTest {

    private static final KustomizeGenerator GENERATOR = new KustomizeGenerator(Rendered.LAYOUT);

    @Test
    void generatedManifestsAreUpToDate() throws IOException {
        Path k8s = Rendered.LAYOUT.k8s();
        SortedMap<String, String> expected = GENERATOR.generate();
        SortedMap<String, String> actual = new TreeMap<>();
        for (Path file : KustomizeGenerator.existingYaml(k8s)) {
            actual.put(k8s.relativize(file).toString().replace(File.separatorChar, '/'), Files.readString(file));
        }
        List<String> problems = new ArrayList<>();
        for (String path : new TreeSet<>(expected.keySet())) {
            if (!actual.containsKey(path)) {
                problems.add("missing " + path);
            } else if (!actual.get(path).equals(expected.get(path))) {
                problems.add("outdated " + path);
            }
        }
        actual.keySet().stream().filter(p -> !expected.containsKey(p)).forEach(p -> problems.add("stale " + p));
        assertTrue(problems.isEmpty(), "k8s/ does not match the chart; run scripts/k8s-generate.sh\n  " + String.join("\n  ", problems));
    }

    static Stream<KustomizeGenerator.Variant> variants() {
        return Stream.concat(Stream.of(KustomizeGenerator.BASE), KustomizeGenerator.OVERLAYS.stream());
    }

    /** `kubectl kustomize k8s/<dir>` succeeds and builds exactly the objects Helm renders for the same values. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void kubectlKustomizeBuildsWhatHelmRenders(KustomizeGenerator.Variant variant) throws Exception {
        Path kubectl = kubectl().orElse(null);
        Assumptions.assumeTrue(kubectl != null, "kubectl not found (PATH, or -Dkubectl=...): `kubectl kustomize` of k8s/" + variant.directory() + " NOT checked");
        Path dir = Rendered.LAYOUT.k8s().resolve(variant.directory());
        Path errors = Files.createTempFile("kustomize", ".err");
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(errors.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("kubectl kustomize " + dir + " did not finish in 120 s");
        }
        String err = Files.readString(errors);
        Files.deleteIfExists(errors);
        assertEquals(0, process.exitValue(), "kubectl kustomize " + dir + " failed:\n" + err);

        Map<String, Map<String, Object>> built = byId(Yaml.documents(new String(out, StandardCharsets.UTF_8)));
        Map<String, Map<String, Object>> helm = byId(GENERATOR.render(variant));
        assertEquals(new TreeSet<>(helm.keySet()), new TreeSet<>(built.keySet()), variant.directory() + ": objects");
        for (String id : helm.keySet()) {
            List<Map<String, Object>> difference = JsonPatchDiff.diff(helm.get(id), built.get(id));
            assertTrue(difference.isEmpty(), variant.directory() + ": kustomize builds " + id + " unlike Helm renders it: " + difference);
        }
        // What kubectl builds is valid for fabric8's model too.
        assertEquals(helm.size(), Rendered.parse(ValueSet.DEFAULT, new String(out, StandardCharsets.UTF_8)).objects.size());
    }

    private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> objects) {
        Map<String, Map<String, Object>> byId = new TreeMap<>();
        objects.forEach(o -> byId.put(KustomizeGenerator.id(o), o));
        return byId;
    }

    private static Optional<Path> kubectl() {
        String explicit = System.getProperty("kubectl");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
