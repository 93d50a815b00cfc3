package dev.clones.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything generated from the chart: {@code k8s/} ({@link KustomizeGenerator}) and
 * {@code docker/run-settings.json}, the chart's run settings of each service container as
 * {@code ./stack up --containers} applies them with {@code docker run} (user, read-only root,
 * capabilities, limits, writable paths, environment, probes, port). The stack reads that file
 * rather than the chart so that it needs no Helm; ContainerRunTest fails when the two disagree.
 * {@code scripts/k8s-generate.sh} runs {@link #main}.
 */
public final class GenerateFromChart {

    /** The values the local container stack renders the chart with. */
    public static final String LOCAL_STACK_VALUES = "local-stack-values.yaml";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private GenerateFromChart() {
    }

    public static void main(String[] args) throws IOException {
        KustomizeGenerator.main(args);
        ProjectLayout layout = ProjectLayout.find();
        Files.writeString(layout.runSettings(), runSettings(layout));
        System.out.println("Wrote " + layout.runSettings());
    }

    /** The text of docker/run-settings.json as the chart renders it now. */
    public static String runSettings(ProjectLayout layout) {
        String manifests = new HelmChart(layout.chart()).template(List.of(layout.chartValues(LOCAL_STACK_VALUES)));
        List<HasMetadata> objects = Yaml.documents(manifests).stream()
                .map(document -> (HasMetadata) SERIALIZATION.unmarshal(Yaml.write(document)))
                .toList();
        Map<String, Object> services = new LinkedHashMap<>();
        for (String service : ProjectLayout.SERVICES) {
            services.put(service, settingsOf(objects, service));
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("generatedBy", "scripts/k8s-generate.sh from helm/clones with ci/" + LOCAL_STACK_VALUES + "; do not edit");
        file.put("services", services);
        return JSON.writeValueAsString(file) + "\n";
    }

    private static Map<String, Object> settingsOf(List<HasMetadata> objects, String service) {
        Deployment deployment = find(objects, Deployment.class, HelmChart.RELEASE + "-" + service);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().getFirst();
        PodSecurityContext podSecurity = pod.getSecurityContext();
        SecurityContext security = container.getSecurityContext();

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("image", container.getImage());
        s.put("port", container.getPorts().getFirst().getContainerPort());
        s.put("runAsUser", first(security.getRunAsUser(), podSecurity.getRunAsUser()));
        s.put("runAsGroup", first(security.getRunAsGroup(), podSecurity.getRunAsGroup()));
        s.put("runAsNonRoot", first(security.getRunAsNonRoot(), podSecurity.getRunAsNonRoot()));
        s.put("readOnlyRootFilesystem", security.getReadOnlyRootFilesystem());
        s.put("allowPrivilegeEscalation", security.getAllowPrivilegeEscalation());
        s.put("capabilitiesDrop", security.getCapabilities().getDrop());
        Quantity memory = container.getResources().getLimits().get("memory");
        s.put("memoryLimit", memory.toString());
        s.put("memoryLimitBytes", Quantity.getAmountInBytes(memory).longValueExact());
        s.put("cpuLimit", Quantity.getAmountInBytes(container.getResources().getLimits().get("cpu")).stripTrailingZeros().toPlainString());
        Set<String> emptyDirVolumes = pod.getVolumes().stream().filter(v -> v.getEmptyDir() != null)
                .map(Volume::getName).collect(Collectors.toSet());
        s.put("emptyDirs", container.getVolumeMounts().stream().filter(m -> emptyDirVolumes.contains(m.getName()))
                .map(m -> m.getMountPath()).sorted().toList());

        Map<String, String> env = new TreeMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            ConfigMap config = find(objects, ConfigMap.class, from.getConfigMapRef().getName());
            env.putAll(config.getData());
        }
        List<String> secretEnv = new ArrayList<>();
        Map<String, String> fieldEnv = new TreeMap<>();
        for (EnvVar var : container.getEnv()) {
            if (var.getValueFrom() == null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom().getSecretKeyRef() != null) {
                secretEnv.add(var.getName());
            } else if (var.getValueFrom().getFieldRef() != null) {
                fieldEnv.put(var.getName(), var.getValueFrom().getFieldRef().getFieldPath());
            }
        }
        s.put("env", env);
        s.put("secretEnv", secretEnv.stream().sorted().toList());
        s.put("fieldEnv", fieldEnv);

        Map<String, String> probes = new LinkedHashMap<>();
        probes.put("startup", container.getStartupProbe().getHttpGet().getPath());
        probes.put("readiness", container.getReadinessProbe().getHttpGet().getPath());
        probes.put("liveness", container.getLivenessProbe().getHttpGet().getPath());
        s.put("probes", probes);
        return s;
    }

    private static <T> T first(T container, T pod) {
        return container != null ? container : pod;
    }

    private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> name.equals(o.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the chart rendered no " + type.getSimpleName() + " " + name));
    }
}
