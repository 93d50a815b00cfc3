package dev.clones.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes {@code k8s/} (kustomize base plus dev and prod overlays) from the chart, so that users
 * without Helm get the same objects: base is the chart with {@code ci/k8s-base-values.yaml};
 * each overlay holds the objects its values add, and JSON patches for the objects they change
 * or delete. {@code scripts/k8s-generate.sh} runs {@link #main}; a test fails when k8s/ is stale.
 */
public final class KustomizeGenerator {

    /** A rendering of the chart that becomes one kustomize directory. */
    public record Variant(String directory, List<String> valuesFiles) {
    }

    public static final Variant BASE = new Variant("base", List.of("k8s-base-values.yaml"));
    public static final List<Variant> OVERLAYS = List.of(
            new Variant("overlays/dev", List.of("k8s-base-values.yaml", "dev-values.yaml")),
            new Variant("overlays/prod", List.of("k8s-base-values.yaml", "prod-values.yaml")));

    /** Labels that say Helm manages an object: untrue for these files. */
    private static final List<String> HELM_LABELS = List.of("helm.sh/chart", "app.kubernetes.io/managed-by");

    private final ProjectLayout layout;
    private final HelmChart chart;

    public KustomizeGenerator(ProjectLayout layout) {
        this.layout = layout;
        this.chart = new HelmChart(layout.chart());
    }

    public static void main(String[] args) {
        ProjectLayout layout = ProjectLayout.find();
        Path target = args.length > 0 ? Path.of(args[0]) : layout.k8s();
        SortedMap<String, String> files = new KustomizeGenerator(layout).writeTo(target);
        System.out.println("Wrote " + files.size() + " files to " + target);
    }

    /** The objects a variant consists of, as kustomize will build them: no Helm hooks, no Helm labels. */
    public List<Map<String, Object>> render(Variant variant) {
        List<Path> values = variant.valuesFiles().stream().map(layout::chartValues).toList();
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Map<String, Object> object : Yaml.documents(chart.template(values))) {
            if (annotations(object).containsKey("helm.sh/hook")) {
                continue; // `helm test` pods have no meaning without Helm
            }
            stripHelmLabels(object);
            objects.add(object);
        }
        return objects;
    }

    /** Every generated file, by path relative to k8s/ ("base/auth-service.yaml"). */
    public SortedMap<String, String> generate() {
        SortedMap<String, String> files = new TreeMap<>();
        List<Map<String, Object>> base = render(BASE);
        Map<String, Map<String, Object>> baseById = byId(base);

        Map<String, List<Map<String, Object>>> baseFiles = groupByComponent(base);
        baseFiles.forEach((file, docs) -> files.put("base/" + file, header(BASE) + Yaml.writeAll(docs)));
        files.put("base/kustomization.yaml", header(BASE) + Yaml.write(kustomization(new ArrayList<>(baseFiles.keySet()), List.of())));

        for (Variant overlay : OVERLAYS) {
            String dir = overlay.directory() + "/";
            Map<String, Map<String, Object>> wanted = byId(render(overlay));
            List<Map<String, Object>> added = new ArrayList<>();
            List<Map<String, Object>> patches = new ArrayList<>();
            for (Map.Entry<String, Map<String, Object>> entry : wanted.entrySet()) {
                Map<String, Object> before = baseById.get(entry.getKey());
                if (before == null) {
                    added.add(entry.getValue());
                    continue;
                }
                List<Map<String, Object>> ops = JsonPatchDiff.diff(before, entry.getValue());
                if (!ops.isEmpty()) {
                    String path = "patches/" + fileStem(entry.getValue()) + ".yaml";
                    files.put(dir + path, header(overlay) + Yaml.write(ops));
                    patches.add(patchEntry(path, entry.getValue()));
                }
            }
            for (Map.Entry<String, Map<String, Object>> entry : baseById.entrySet()) {
                if (!wanted.containsKey(entry.getKey())) {
                    String path = "patches/delete-" + fileStem(entry.getValue()) + ".yaml";
                    Map<String, Object> delete = new LinkedHashMap<>();
                    delete.put("$patch", "delete");
                    delete.put("apiVersion", entry.getValue().get("apiVersion"));
                    delete.put("kind", entry.getValue().get("kind"));
                    delete.put("metadata", Map.of("name", name(entry.getValue())));
                    files.put(dir + path, header(overlay) + Yaml.write(delete));
                    patches.add(Map.of("path", path));
                }
            }
            Map<String, List<Map<String, Object>>> addedFiles = groupByComponent(added);
            addedFiles.forEach((file, docs) -> files.put(dir + file, header(overlay) + Yaml.writeAll(docs)));
            List<String> resources = new ArrayList<>();
            resources.add("../../base");
            resources.addAll(addedFiles.keySet());
            files.put(dir + "kustomization.yaml", header(overlay) + Yaml.write(kustomization(resources, patches)));
        }
        return files;
    }

    /** Replaces the generated YAML under {@code k8sDir} (stale files included) with {@link #generate()}. */
    public SortedMap<String, String> writeTo(Path k8sDir) {
        SortedMap<String, String> files = generate();
        try {
            for (Path stale : existingYaml(k8sDir)) {
                Files.delete(stale);
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = k8sDir.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The YAML files now under base/ and overlays/ of {@code k8sDir}, the ones {@link #writeTo} owns. */
    public static List<Path> existingYaml(Path k8sDir) {
        List<Path> found = new ArrayList<>();
        for (String owned : List.of("base", "overlays")) {
            Path dir = k8sDir.resolve(owned);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(p -> p.toString().endsWith(".yaml")).forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    public static String id(Map<String, Object> object) {
        return object.get("apiVersion") + "|" + object.get("kind") + "|" + name(object);
    }

    static String name(Map<String, Object> object) {
        return String.valueOf(((Map<?, ?>) object.get("metadata")).get("name"));
    }

    private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> objects) {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (Map<String, Object> object : objects) {
            if (byId.put(id(object), object) != null) {
                throw new IllegalStateException("The chart renders " + id(object) + " twice");
            }
        }
        return byId;
    }

    /** One file per component label: auth-service.yaml holds its ServiceAccount, Service, Deployment... */
    private static Map<String, List<Map<String, Object>>> groupByComponent(List<Map<String, Object>> objects) {
        Map<String, List<Map<String, Object>>> files = new TreeMap<>();
        for (Map<String, Object> object : objects) {
            Object component = labels(object).getOrDefault("app.kubernetes.io/component", "suite");
            files.computeIfAbsent(component + ".yaml", f -> new ArrayList<>()).add(object);
        }
        return files;
    }

    private static Map<String, Object> kustomization(List<String> resources, List<Map<String, Object>> patches) {
        Map<String, Object> kustomization = new LinkedHashMap<>();
        kustomization.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        kustomization.put("kind", "Kustomization");
        kustomization.put("resources", resources);
        if (!patches.isEmpty()) {
            kustomization.put("patches", patches);
        }
        return kustomization;
    }

    private static Map<String, Object> patchEntry(String path, Map<String, Object> object) {
        String apiVersion = String.valueOf(object.get("apiVersion"));
        int slash = apiVersion.indexOf('/');
        Map<String, Object> target = new LinkedHashMap<>();
        if (slash > 0) {
            target.put("group", apiVersion.substring(0, slash));
        }
        target.put("version", apiVersion.substring(slash + 1));
        target.put("kind", object.get("kind"));
        target.put("name", name(object));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("path", path);
        entry.put("target", target);
        return entry;
    }

    private static String fileStem(Map<String, Object> object) {
        return String.valueOf(object.get("kind")).toLowerCase() + "-" + name(object);
    }

    private static String header(Variant variant) {
        return "# Generated by scripts/k8s-generate.sh from helm/clones with ci/"
                + String.join(" + ci/", variant.valuesFiles()) + ".\n"
                + "# Do not edit: change the chart or its values and regenerate.\n";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labels(Map<String, Object> object) {
        Object labels = ((Map<String, Object>) object.get("metadata")).get("labels");
        return labels instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> annotations(Map<String, Object> object) {
        Object annotations = ((Map<String, Object>) object.get("metadata")).get("annotations");
        return annotations instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** Removes the Helm labels from every "labels" map of the object (pod templates included). */
    private static void stripHelmLabels(Object node) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if ("labels".equals(entry.getKey()) && entry.getValue() instanceof Map<?, ?> labels) {
                    HELM_LABELS.forEach(labels::remove);
                } else {
                    stripHelmLabels(entry.getValue());
                }
            }
        } else if (node instanceof List<?> list) {
            list.forEach(KustomizeGenerator::stripHelmLabels);
        }
    }
}
