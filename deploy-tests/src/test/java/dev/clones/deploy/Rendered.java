package dev.clones.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** One render of the chart, every object parsed into fabric8's Kubernetes model. */
final class Rendered {

    static final ProjectLayout LAYOUT = ProjectLayout.find();
    static final HelmChart CHART = new HelmChart(LAYOUT.chart());
    /**
     * The chart with its test hooks renamed to a plain annotation ("clones.test/hook"), because
     * helm-java's template omits hooks: so the `helm test` pod is rendered and checked too.
     */
    static final HelmChart CHART_WITH_TEST_HOOKS = new HelmChart(copyWithVisibleTestHooks(LAYOUT.chart()));
    static final String VISIBLE_HOOK = "clones.test/hook";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<ValueSet, Rendered> CACHE = new EnumMap<>(ValueSet.class);

    /** Something that runs pods: the pod spec and the labels its pods carry. */
    record Workload(HasMetadata owner, PodSpec spec, Map<String, String> podLabels) {
        String describe() {
            return owner.getKind() + " " + owner.getMetadata().getName();
        }

        Stream<Container> allContainers() {
            return Stream.concat(spec.getContainers().stream(),
                    spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream());
        }

        boolean longRunning() {
            return owner instanceof Deployment || owner instanceof StatefulSet || owner instanceof DaemonSet;
        }

        String component() {
            return owner.getMetadata().getLabels().getOrDefault("app.kubernetes.io/component", "");
        }
    }

    final ValueSet valueSet;
    final List<HasMetadata> objects;

    private Rendered(ValueSet valueSet, List<HasMetadata> objects) {
        this.valueSet = valueSet;
        this.objects = objects;
    }

    static synchronized Rendered of(ValueSet valueSet) {
        return CACHE.computeIfAbsent(valueSet, v -> parse(v, CHART_WITH_TEST_HOOKS.template(v.files(LAYOUT))));
    }

    private static Path copyWithVisibleTestHooks(Path chart) {
        try {
            Path copy = Files.createTempDirectory("clones-chart");
            try (Stream<Path> files = Files.walk(chart)) {
                for (Path source : files.toList()) {
                    Path target = copy.resolve(chart.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else if (chart.relativize(source).startsWith(Path.of("templates", "tests"))) {
                        Files.writeString(target, Files.readString(source).replace("helm.sh/hook:", VISIBLE_HOOK + ":"));
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses {@code helm template} output document by document with fabric8 (unknown kinds become generic). */
    static Rendered parse(ValueSet valueSet, String manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        for (Map<String, Object> document : Yaml.documents(manifests)) {
            Object parsed = SERIALIZATION.unmarshal(Yaml.write(document));
            if (!(parsed instanceof HasMetadata object)) {
                throw new AssertionError("Not a Kubernetes object: " + document);
            }
            objects.add(object);
        }
        return new Rendered(valueSet, objects);
    }

    /** A part of a generic object (e.g. a ScaledObject's HPA behaviour) as a fabric8 model type. */
    static <T> T parseAs(Object part, Class<T> type) {
        return SERIALIZATION.convertValue(part, type);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> generic(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    List<Workload> workloads() {
        List<Workload> workloads = new ArrayList<>();
        for (HasMetadata object : objects) {
            switch (object) {
                case Deployment d -> workloads.add(new Workload(d, d.getSpec().getTemplate().getSpec(), d.getSpec().getTemplate().getMetadata().getLabels()));
                case StatefulSet s -> workloads.add(new Workload(s, s.getSpec().getTemplate().getSpec(), s.getSpec().getTemplate().getMetadata().getLabels()));
                case DaemonSet s -> workloads.add(new Workload(s, s.getSpec().getTemplate().getSpec(), s.getSpec().getTemplate().getMetadata().getLabels()));
                case Job j -> workloads.add(new Workload(j, j.getSpec().getTemplate().getSpec(), j.getSpec().getTemplate().getMetadata().getLabels()));
                case CronJob c -> workloads.add(new Workload(c, c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec(),
                        c.getSpec().getJobTemplate().getSpec().getTemplate().getMetadata().getLabels()));
                case Pod p -> workloads.add(new Workload(p, p.getSpec(), p.getMetadata().getLabels()));
                default -> { }
            }
        }
        return workloads;
    }

    /** The Deployment of one of the four services ("auth-service"). */
    Deployment serviceDeployment(String service) {
        return find(Deployment.class, HelmChart.RELEASE + "-" + service)
                .orElseThrow(() -> new AssertionError(valueSet + ": no Deployment for " + service));
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null || selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            throw new AssertionError("Only matchLabels selectors are expected, got " + selector);
        }
        return selects(selector.getMatchLabels(), labels);
    }

    static boolean selects(Map<String, String> matchLabels, Map<String, String> labels) {
        return matchLabels != null && !matchLabels.isEmpty() && labels != null
                && labels.entrySet().containsAll(matchLabels.entrySet());
    }
}
