package dev.clones.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `./stack up --containers` runs each replica with docker/run-settings.json: that file is what
 * the chart renders now, and the local values it is rendered with change addresses only, never
 * the security settings, limits or probes a cluster gets from the chart's defaults.
 */
class ContainerRunTest {

    static final List<String> SERVICES = ProjectLayout.SERVICES;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void runSettingsAreWhatTheChartRenders() throws IOException {
        assertEquals(GenerateFromChart.runSettings(Rendered.LAYOUT), Files.readString(Rendered.LAYOUT.runSettings()),
                "docker/run-settings.json does not match the chart; run scripts/k8s-generate.sh");
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void localRunHasTheProductionSecurityLimitsAndProbes(String service) throws IOException {
        JsonNode settings = JSON.readTree(Files.readString(Rendered.LAYOUT.runSettings())).get("services").get(service);
        PodSpec pod = Rendered.of(ValueSet.DEFAULT).serviceDeployment(service).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().getFirst();
        var security = container.getSecurityContext();

        assertEquals(pod.getSecurityContext().getRunAsUser().longValue(), settings.get("runAsUser").asLong(), service + ": runAsUser");
        assertEquals(pod.getSecurityContext().getRunAsGroup().longValue(), settings.get("runAsGroup").asLong(), service + ": runAsGroup");
        assertTrue(settings.get("runAsUser").asLong() > 0 && settings.get("runAsNonRoot").asBoolean(), service + ": non-root");
        assertTrue(security.getReadOnlyRootFilesystem() && settings.get("readOnlyRootFilesystem").asBoolean(), service + ": read-only root");
        assertTrue(!security.getAllowPrivilegeEscalation() && !settings.get("allowPrivilegeEscalation").asBoolean(), service + ": no privilege escalation");
        assertEquals(security.getCapabilities().getDrop(), strings(settings.get("capabilitiesDrop")), service + ": capabilities dropped");
        assertEquals(List.of("ALL"), strings(settings.get("capabilitiesDrop")), service + ": every capability dropped");
        Quantity memory = container.getResources().getLimits().get("memory");
        assertEquals(Quantity.getAmountInBytes(memory).longValueExact(), settings.get("memoryLimitBytes").asLong(), service + ": memory limit");
        assertEquals(Quantity.getAmountInBytes(container.getResources().getLimits().get("cpu")).stripTrailingZeros().toPlainString(),
                settings.get("cpuLimit").asString(), service + ": CPU limit");
        assertEquals(container.getVolumeMounts().stream().map(m -> m.getMountPath()).sorted().toList(), strings(settings.get("emptyDirs")),
                service + ": the writable paths are the chart's emptyDir mounts");
        assertEquals(container.getReadinessProbe().getHttpGet().getPath(), settings.get("probes").get("readiness").asString(), service + ": readiness path");
        assertEquals(container.getPorts().getFirst().getContainerPort().intValue(), settings.get("port").asInt(), service + ": port");
        QuarkusConfig.ofService(Rendered.LAYOUT, service).ifPresent(config ->
                assertEquals(config.httpPort(), settings.get("port").asInt(), service + ": port vs quarkus.http.port"));
        container.getEnv().stream().filter(e -> e.getValue() != null).forEach(e ->
                assertEquals(e.getValue(), settings.get("env").path(e.getName()).asString(null), service + ": env " + e.getName()));
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }
}
