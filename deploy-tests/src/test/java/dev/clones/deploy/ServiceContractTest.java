package dev.clones.deploy;

import dev.clones.testing.ApiReference;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart against what the services really do: ports and health paths from their own
 * configuration and Quarkus' conventions, shutdown timings from common's configuration, and the
 * Ingress against the routing table of docs/api.md. Nothing here is typed a second time.
 */
class ServiceContractTest {

    static final List<String> SERVICES = ProjectLayout.SERVICES;
    private static final List<ValueSet> WITH_SERVICES = List.of(ValueSet.DEFAULT, ValueSet.DEV, ValueSet.PROD);

    @ParameterizedTest
    @FieldSource("SERVICES")
    void probesAndPortsMatchWhatTheServiceServes(String service) {
        QuarkusConfig config = QuarkusConfig.ofService(Rendered.LAYOUT, service).orElse(null);
        Assumptions.assumeTrue(config != null, service + " has no src/main/resources/application.properties yet: its port and health paths cannot be checked");
        int httpPort = config.httpPort();
        int healthPort = config.healthPort();
        Map<String, String> expectedPaths = Map.of(
                "startup", config.healthPath("startup"),
                "readiness", config.healthPath("readiness"),
                "liveness", config.healthPath("liveness"));
        for (ValueSet values : WITH_SERVICES) {
            Rendered rendered = Rendered.of(values);
            Deployment deployment = rendered.serviceDeployment(service);
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            Container container = pod.getContainers().getFirst();
            String where = values + " " + service;
            ContainerPort http = container.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(where + " has no port named http"));
            assertEquals(httpPort, http.getContainerPort(), where + ": containerPort vs quarkus.http.port");
            container.getEnv().stream().filter(e -> "QUARKUS_HTTP_PORT".equals(e.getName())).findFirst()
                    .ifPresent(e -> assertEquals(String.valueOf(httpPort), e.getValue(), where + ": QUARKUS_HTTP_PORT"));
            Map<String, Probe> probes = Map.of("startup", container.getStartupProbe(),
                    "readiness", container.getReadinessProbe(), "liveness", container.getLivenessProbe());
            probes.forEach((kind, probe) -> {
                HTTPGetAction get = probe.getHttpGet();
                assertTrue(get != null, where + ": " + kind + " probe is not an HTTP GET");
                assertEquals(expectedPaths.get(kind), get.getPath(), where + ": " + kind + " probe path");
                assertEquals(healthPort, resolve(get.getPort(), container), where + ": " + kind + " probe port");
            });
            Service svc = rendered.find(Service.class, deployment.getMetadata().getName())
                    .orElseThrow(() -> new AssertionError(where + " has no Service"));
            assertTrue(svc.getSpec().getPorts().stream().anyMatch(p -> resolve(p.getTargetPort(), container) == httpPort),
                    where + ": the Service does not reach port " + httpPort);
        }
    }

    @Test
    void podsOutliveQuarkusGracefulShutdown() {
        for (ValueSet values : ValueSet.values()) {
            Rendered rendered = Rendered.of(values);
            for (String service : SERVICES) {
                QuarkusConfig config = QuarkusConfig.ofService(Rendered.LAYOUT, service).orElseGet(() -> QuarkusConfig.common(Rendered.LAYOUT));
                Duration delay = config.getBoolean("quarkus.shutdown.delay-enabled", false)
                        ? config.getDuration("quarkus.shutdown.delay", "0s") : Duration.ZERO;
                Duration timeout = config.getDuration("quarkus.shutdown.timeout", "30s");
                // media-service closes its notification sockets (bounded) before the delay starts.
                Duration drain = config.getDuration("media.notifications.drain-timeout", "0s");
                PodSpec pod = rendered.serviceDeployment(service).getSpec().getTemplate().getSpec();
                Container container = pod.getContainers().getFirst();
                long preStop = container.getLifecycle() == null || container.getLifecycle().getPreStop() == null ? 0
                        : container.getLifecycle().getPreStop().getSleep().getSeconds();
                long needed = preStop + drain.toSeconds() + delay.toSeconds() + timeout.toSeconds();
                assertTrue(pod.getTerminationGracePeriodSeconds() > needed,
                        values + " " + service + ": terminationGracePeriodSeconds " + pod.getTerminationGracePeriodSeconds()
                                + " must exceed preStop " + preStop + "s + drain " + drain.toSeconds() + "s + shutdown delay " + delay.toSeconds() + "s + timeout " + timeout.toSeconds() + "s");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ValueSet.class, names = {"DEFAULT", "DEV", "PROD"})
    void ingressRoutesEveryApiPrefixToItsService(ValueSet values) {
        Map<String, String> routes = ApiReference.ofThisRepository().routes();
        assertTrue(routes.size() >= 7, "Expected the routing table of docs/api.md, found " + routes);
        List<HTTPIngressPath> paths = ingressPaths(Rendered.of(values));
        List<String> failures = new ArrayList<>();
        routes.forEach((prefix, service) -> {
            String wanted = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
            // The controller picks the longest Prefix path matching the request path, segment by segment.
            HTTPIngressPath match = paths.stream()
                    .filter(p -> "Prefix".equals(p.getPathType()))
                    .filter(p -> wanted.equals(p.getPath()) || wanted.startsWith(p.getPath() + "/") || "/".equals(p.getPath()))
                    .max(Comparator.comparingInt(p -> p.getPath().length())).orElse(null);
            if (match == null) {
                failures.add(prefix + " is not routed");
            } else if (!match.getBackend().getService().getName().equals(HelmChart.RELEASE + "-" + service)) {
                failures.add(prefix + " goes to " + match.getBackend().getService().getName() + ", docs/api.md says " + service);
            }
        });
        assertTrue(failures.isEmpty(), values + ": " + failures);
    }

    @ParameterizedTest
    @EnumSource(value = ValueSet.class, names = {"DEFAULT", "DEV", "PROD"})
    void ingressExposesNoManagementPathsAndNoWorker(ValueSet values) {
        for (HTTPIngressPath path : ingressPaths(Rendered.of(values))) {
            assertTrue(path.getPath().startsWith("/api/"), values + ": Ingress routes " + path.getPath() + " (only /api/ is public)");
            assertFalse(path.getBackend().getService().getName().endsWith("report-worker"), values + ": report-worker serves no public traffic");
        }
    }

    private static List<HTTPIngressPath> ingressPaths(Rendered rendered) {
        List<Ingress> ingresses = rendered.all(Ingress.class);
        assertEquals(1, ingresses.size(), rendered.valueSet + ": expected one Ingress");
        return ingresses.getFirst().getSpec().getRules().stream().flatMap(r -> r.getHttp().getPaths().stream()).toList();
    }

    /** A numeric or named port of the container, as a number. */
    private static int resolve(IntOrString port, Container container) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .map(ContainerPort::getContainerPort)
                .orElseThrow(() -> new AssertionError("No container port named " + port.getStrVal()));
    }
}
