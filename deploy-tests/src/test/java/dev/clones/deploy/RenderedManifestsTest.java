package dev.clones.deploy;

import dev.clones.deploy.Rendered.Workload;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Invariants of every render of the chart (default, dev, prod-like and everything-on values),
 * checked on the objects as fabric8 parses them.
 */
class RenderedManifestsTest {

    /** The only container allowed a writable root filesystem: the dev-only RabbitMQ (see templates/dev/rabbitmq.yaml). */
    private static final Set<String> WRITABLE_ROOT_COMPONENTS = Set.of("dev-rabbitmq");
    private static final Pattern STICKY = Pattern.compile("(?i)affinity|sticky|stickiness|session-cookie|hash-by|upstream-hash");

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void rendersOnlyKnownKindsWithNames(ValueSet values) {
        Rendered rendered = Rendered.of(values);
        assertFalse(rendered.objects.isEmpty(), values + " rendered nothing");
        Set<String> ids = new HashSet<>();
        for (HasMetadata object : rendered.objects) {
            assertTrue(ids.add(object.getKind() + "/" + object.getMetadata().getName()), "duplicate " + object.getKind() + " " + object.getMetadata().getName());
            assertTrue(object.getMetadata().getName().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && object.getMetadata().getName().length() <= 63,
                    "bad name " + object.getMetadata().getName());
        }
        for (GenericKubernetesResource generic : rendered.all(GenericKubernetesResource.class)) {
            assertTrue(Set.of("ScaledObject", "ServiceMonitor").contains(generic.getKind()),
                    values + ": unexpected kind outside fabric8's model: " + generic.getKind());
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyContainerHasRequestsAndLimits(ValueSet values) {
        forEachContainer(values, (workload, container) -> {
            ResourceRequirements resources = container.getResources();
            String where = where(values, workload, container);
            assertTrue(resources != null, where + " has no resources");
            for (String kind : List.of("cpu", "memory")) {
                Quantity request = resources.getRequests() == null ? null : resources.getRequests().get(kind);
                Quantity limit = resources.getLimits() == null ? null : resources.getLimits().get(kind);
                assertTrue(request != null, where + " has no " + kind + " request");
                assertTrue(limit != null, where + " has no " + kind + " limit");
                assertTrue(Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(limit)) <= 0,
                        where + ": " + kind + " request " + request + " exceeds its limit " + limit);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyLongRunningContainerHasStartupReadinessAndLivenessProbes(ValueSet values) {
        forEachContainer(values, (workload, container) -> {
            if (!workload.longRunning()) {
                return;
            }
            String where = where(values, workload, container);
            assertTrue(container.getStartupProbe() != null, where + " has no startup probe");
            assertTrue(container.getReadinessProbe() != null, where + " has no readiness probe");
            assertTrue(container.getLivenessProbe() != null, where + " has no liveness probe");
        });
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyContainerRunsLockedDown(ValueSet values) {
        forEachContainer(values, (workload, container) -> {
            String where = where(values, workload, container);
            PodSecurityContext pod = Optional.ofNullable(workload.spec().getSecurityContext()).orElseGet(PodSecurityContext::new);
            SecurityContext sc = container.getSecurityContext();
            assertTrue(sc != null, where + " has no securityContext");
            assertEquals(Boolean.TRUE, first(sc.getRunAsNonRoot(), pod.getRunAsNonRoot()), where + ": runAsNonRoot");
            assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where + ": allowPrivilegeEscalation");
            assertFalse(Boolean.TRUE.equals(sc.getPrivileged()), where + ": privileged");
            Capabilities caps = sc.getCapabilities();
            assertTrue(caps != null && caps.getDrop() != null && caps.getDrop().contains("ALL"), where + ": capabilities.drop ALL");
            assertTrue(caps.getAdd() == null || caps.getAdd().isEmpty(), where + ": adds capabilities " + caps.getAdd());
            String seccomp = Optional.ofNullable(sc.getSeccompProfile()).or(() -> Optional.ofNullable(pod.getSeccompProfile()))
                    .map(p -> p.getType()).orElse(null);
            assertEquals("RuntimeDefault", seccomp, where + ": seccompProfile");
            Long uid = first(sc.getRunAsUser(), pod.getRunAsUser());
            assertTrue(uid == null || uid > 0, where + ": runs as uid 0");
            if (!WRITABLE_ROOT_COMPONENTS.contains(workload.component())) {
                assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), where + ": readOnlyRootFilesystem");
            }
            if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                boolean tmpIsEmptyDir = container.getVolumeMounts().stream()
                        .filter(m -> "/tmp".equals(m.getMountPath()))
                        .anyMatch(m -> workload.spec().getVolumes().stream()
                                .anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null));
                assertTrue(tmpIsEmptyDir, where + ": read-only root filesystem without an emptyDir on /tmp");
            }
        });
        for (Workload workload : Rendered.of(values).workloads()) {
            assertEquals(Boolean.FALSE, workload.spec().getAutomountServiceAccountToken(), values + " " + workload.describe() + ": automountServiceAccountToken");
            assertFalse(Boolean.TRUE.equals(workload.spec().getHostNetwork()) || Boolean.TRUE.equals(workload.spec().getHostPID()),
                    values + " " + workload.describe() + " shares a host namespace");
            for (Volume volume : Optional.ofNullable(workload.spec().getVolumes()).orElse(List.of())) {
                assertTrue(volume.getHostPath() == null, values + " " + workload.describe() + " mounts a hostPath");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void serviceAccountsExistAndMountNoToken(ValueSet values) {
        Rendered rendered = Rendered.of(values);
        for (ServiceAccount account : rendered.all(ServiceAccount.class)) {
            assertEquals(Boolean.FALSE, account.getAutomountServiceAccountToken(), values + ": ServiceAccount " + account.getMetadata().getName());
        }
        for (String service : ProjectLayout.SERVICES) {
            String account = rendered.serviceDeployment(service).getSpec().getTemplate().getSpec().getServiceAccountName();
            assertTrue(rendered.find(ServiceAccount.class, account).isPresent(), values + ": " + service + " uses missing ServiceAccount " + account);
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void autoscalersTargetExistingDeploymentsAndDoNotFlap(ValueSet values) {
        Rendered rendered = Rendered.of(values);
        Map<String, String> scaledBy = new java.util.HashMap<>();
        for (HorizontalPodAutoscaler hpa : rendered.all(HorizontalPodAutoscaler.class)) {
            String where = values + ": HPA " + hpa.getMetadata().getName();
            assertEquals("autoscaling/v2", hpa.getApiVersion(), where);
            var target = hpa.getSpec().getScaleTargetRef();
            assertEquals("Deployment", target.getKind(), where);
            assertTrue(rendered.find(Deployment.class, target.getName()).isPresent(), where + " targets missing Deployment " + target.getName());
            assertTrue(scaledBy.put(target.getName(), where) == null, target.getName() + " has two autoscalers");
            assertTrue(hpa.getSpec().getMinReplicas() >= 1 && hpa.getSpec().getMaxReplicas() >= hpa.getSpec().getMinReplicas(), where + ": replica bounds");
            assertTrue(hpa.getSpec().getMetrics().stream().anyMatch(m -> m.getResource() != null && "cpu".equals(m.getResource().getName())),
                    where + " has no CPU target");
            assertDoesNotFlap(where, hpa.getSpec().getBehavior().getScaleUp(), hpa.getSpec().getBehavior().getScaleDown());
        }
        for (GenericKubernetesResource scaledObject : rendered.generic("ScaledObject")) {
            String where = values + ": ScaledObject " + scaledObject.getMetadata().getName();
            assertEquals("keda.sh/v1alpha1", scaledObject.getApiVersion(), where);
            String target = (String) scaledObject.get("spec", "scaleTargetRef", "name");
            assertTrue(rendered.find(Deployment.class, target).isPresent(), where + " targets missing Deployment " + target);
            assertTrue(scaledBy.put(target, where) == null, target + " has two autoscalers");
            List<Map<String, Object>> triggers = scaledObject.get("spec", "triggers");
            assertTrue(triggers.stream().anyMatch(t -> "rabbitmq".equals(t.get("type"))
                    && "report-jobs".equals(((Map<?, ?>) t.get("metadata")).get("queueName"))), where + " does not scale on report-jobs");
            Map<String, Object> behavior = scaledObject.get("spec", "advanced", "horizontalPodAutoscalerConfig", "behavior");
            var up = Rendered.parseAs(behavior.get("scaleUp"), HPAScalingRules.class);
            var down = Rendered.parseAs(behavior.get("scaleDown"), HPAScalingRules.class);
            assertDoesNotFlap(where, up, down);
        }
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            if (scaledBy.containsKey(name)) {
                assertEquals(null, deployment.getSpec().getReplicas(), values + ": " + name + " sets replicas although " + scaledBy.get(name) + " owns them");
            } else {
                assertTrue(deployment.getSpec().getReplicas() != null && deployment.getSpec().getReplicas() >= 1, values + ": " + name + " replicas");
            }
        }
    }

    private static void assertDoesNotFlap(String where, HPAScalingRules up, HPAScalingRules down) {
        assertTrue(down != null && down.getStabilizationWindowSeconds() != null && down.getStabilizationWindowSeconds() >= 60,
                where + ": scale-down needs a stabilisation window of at least a minute");
        assertTrue(up != null && up.getPolicies() != null && !up.getPolicies().isEmpty() && !"Disabled".equals(up.getSelectPolicy()),
                where + ": scale-up rate must be bounded by policies");
        up.getPolicies().forEach(p -> assertTrue(p.getValue() > 0 && p.getPeriodSeconds() > 0, where + ": scale-up policy " + p));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void disruptionBudgetsSelectPodsThatExist(ValueSet values) {
        Rendered rendered = Rendered.of(values);
        for (PodDisruptionBudget pdb : rendered.all(PodDisruptionBudget.class)) {
            long selected = rendered.workloads().stream().filter(w -> w.longRunning())
                    .filter(w -> Rendered.selects(pdb.getSpec().getSelector(), w.podLabels())).count();
            assertEquals(1, selected, values + ": PDB " + pdb.getMetadata().getName() + " must select the pods of exactly one workload");
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void serviceSelectorsMatchPodLabelsAndPorts(ValueSet values) {
        Rendered rendered = Rendered.of(values);
        for (Service service : rendered.all(Service.class)) {
            String where = values + ": Service " + service.getMetadata().getName();
            List<Workload> selected = rendered.workloads().stream().filter(Workload::longRunning)
                    .filter(w -> Rendered.selects(service.getSpec().getSelector(), w.podLabels())).toList();
            assertEquals(1, selected.size(), where + " must select the pods of exactly one workload, selects " + selected.stream().map(Workload::describe).toList());
            List<ContainerPort> ports = selected.getFirst().spec().getContainers().stream().flatMap(c -> c.getPorts().stream()).toList();
            for (ServicePort port : service.getSpec().getPorts()) {
                var target = port.getTargetPort();
                boolean exists = target.getStrVal() != null
                        ? ports.stream().anyMatch(p -> target.getStrVal().equals(p.getName()))
                        : ports.stream().anyMatch(p -> Objects.equals(target.getIntVal(), p.getContainerPort()));
                assertTrue(exists, where + ": targetPort " + target + " is no container port of " + selected.getFirst().describe());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void nothingPinsAClientToAReplica(ValueSet values) {
        Rendered rendered = Rendered.of(values);
        for (Service service : rendered.all(Service.class)) {
            assertFalse("ClientIP".equals(service.getSpec().getSessionAffinity()), values + ": Service " + service.getMetadata().getName() + " has ClientIP affinity");
            assertTrue(service.getSpec().getSessionAffinityConfig() == null, values + ": Service " + service.getMetadata().getName() + " has sessionAffinityConfig");
        }
        for (Ingress ingress : rendered.all(Ingress.class)) {
            Map<String, String> annotations = Optional.ofNullable(ingress.getMetadata().getAnnotations()).orElse(Map.of());
            annotations.forEach((key, value) -> assertFalse(STICKY.matcher(key + "=" + value).find(),
                    values + ": Ingress annotation " + key + "=" + value + " makes sessions sticky"));
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void ingressBackendsAreServicesThatExist(ValueSet values) {
        Rendered rendered = Rendered.of(values);
        for (Ingress ingress : rendered.all(Ingress.class)) {
            for (IngressRule rule : ingress.getSpec().getRules()) {
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    var backend = path.getBackend().getService();
                    Service service = rendered.find(Service.class, backend.getName())
                            .orElseThrow(() -> new AssertionError(values + ": Ingress path " + path.getPath() + " goes to missing Service " + backend.getName()));
                    assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> Objects.equals(p.getName(), backend.getPort().getName())
                                    || Objects.equals(p.getPort(), backend.getPort().getNumber())),
                            values + ": Ingress path " + path.getPath() + " uses a port Service " + backend.getName() + " lacks");
                }
            }
            if (ingress.getSpec().getTls() != null) {
                ingress.getSpec().getTls().forEach(tls -> assertFalse(tls.getHosts().isEmpty(), values + ": TLS without hosts"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void imagesArePinnedNeverLatest(ValueSet values) {
        forEachContainer(values, (workload, container) -> {
            String image = container.getImage();
            String where = where(values, workload, container);
            if (image.contains("@sha256:")) {
                return;
            }
            int colon = image.lastIndexOf(':');
            assertTrue(colon > image.lastIndexOf('/'), where + ": image " + image + " has no tag");
            String tag = image.substring(colon + 1);
            assertFalse(tag.isBlank() || tag.equalsIgnoreCase("latest"), where + ": image " + image + " is not pinned");
        });
    }

    @ParameterizedTest
    @EnumSource(value = ValueSet.class, names = {"DEFAULT", "PROD"})
    void serviceReplicasSpreadAcrossZonesAndNodes(ValueSet values) {
        Rendered rendered = Rendered.of(values);
        for (String service : ProjectLayout.SERVICES) {
            Deployment deployment = rendered.serviceDeployment(service);
            List<TopologySpreadConstraint> spread = deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
            assertTrue(spread != null, values + ": " + service + " has no topology spread");
            Set<String> keys = new HashSet<>();
            for (TopologySpreadConstraint constraint : spread) {
                keys.add(constraint.getTopologyKey());
                assertTrue(Rendered.selects(constraint.getLabelSelector(), deployment.getSpec().getTemplate().getMetadata().getLabels()),
                        values + ": " + service + " spread selector does not select its own pods");
            }
            assertEquals(Set.of("topology.kubernetes.io/zone", "kubernetes.io/hostname"), keys, values + ": " + service);
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void replicaIdIsThePodName(ValueSet values) {
        Rendered rendered = Rendered.of(values);
        for (String service : ProjectLayout.SERVICES) {
            Container container = rendered.serviceDeployment(service).getSpec().getTemplate().getSpec().getContainers().getFirst();
            EnvVar replicaId = container.getEnv().stream().filter(e -> "CLONES_REPLICA_ID".equals(e.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(values + ": " + service + " has no CLONES_REPLICA_ID"));
            assertEquals("metadata.name", replicaId.getValueFrom().getFieldRef().getFieldPath(), values + ": " + service);
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everySecretReferenceUsesTheReleaseSecret(ValueSet values) {
        Rendered rendered = Rendered.of(values);
        Set<String> secrets = new HashSet<>();
        forEachContainer(values, (workload, container) -> Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .forEach(e -> secrets.add(e.getValueFrom().getSecretKeyRef().getName())));
        assertEquals(Set.of(HelmChart.RELEASE + "-secrets"), secrets, values + ": containers read secrets from " + secrets);
        List<String> made = rendered.all(io.fabric8.kubernetes.api.model.Secret.class).stream().map(s -> s.getMetadata().getName()).toList();
        assertTrue(made.isEmpty() || made.equals(List.of(HelmChart.RELEASE + "-secrets")), values + ": unexpected Secrets " + made);
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void helmTestPodRegistersLogsInAndReadsTheCartThroughTheServices(ValueSet values) {
        Rendered rendered = Rendered.of(values);
        List<Pod> tests = rendered.all(Pod.class).stream()
                .filter(p -> "test".equals(Optional.ofNullable(p.getMetadata().getAnnotations()).orElse(Map.of()).get(Rendered.VISIBLE_HOOK)))
                .toList();
        assertEquals(1, tests.size(), values + ": expected one `helm test` pod (helm.sh/hook: test)");
        Pod pod = tests.getFirst();
        assertEquals("Never", pod.getSpec().getRestartPolicy(), values + ": a test pod must not restart");
        Container container = pod.getSpec().getContainers().getFirst();
        Map<String, String> env = new java.util.HashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        for (var entry : Map.of("AUTH_URL", "auth-service", "CART_URL", "cart-service").entrySet()) {
            Service service = rendered.find(Service.class, HelmChart.RELEASE + "-" + entry.getValue()).orElseThrow();
            String expected = "http://" + service.getMetadata().getName() + ":" + service.getSpec().getPorts().getFirst().getPort();
            assertEquals(expected, env.get(entry.getKey()), values + ": the test must go through the " + entry.getValue() + " Service");
        }
        String script = String.join("\n", container.getCommand());
        for (String call : List.of("$AUTH_URL/api/auth/register", "$AUTH_URL/api/auth/login", "$CART_URL/api/cart")) {
            assertTrue(script.contains(call), values + ": the test script never calls " + call);
        }
    }

    /**
     * With Sentinel the services are told the primary's name and to talk to the primary only, writes wait for the
     * replicas the values ask for, and a broker cluster is reached by all its nodes; without them none of it is set.
     */
    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void aReplicatedStateTierReachesEveryServiceAsConfigured(ValueSet values) {
        Map<String, String> data = Rendered.of(values).all(ConfigMap.class).stream()
                .filter(c -> c.getData() != null && c.getData().containsKey("QUARKUS_REDIS_HOSTS")).findFirst()
                .orElseThrow(() -> new AssertionError(values + ": no ConfigMap with QUARKUS_REDIS_HOSTS")).getData();
        if (values == ValueSet.HA_STATE_TIER) {
            assertEquals("sentinel", data.get("QUARKUS_REDIS_CLIENT_TYPE"), values.toString());
            assertEquals("clones", data.get("QUARKUS_REDIS_MASTER_NAME"), values.toString());
            assertEquals("master", data.get("QUARKUS_REDIS_ROLE"), values.toString());
            assertEquals("1", data.get("CLONES_REDIS_WRITE_REPLICAS"), values.toString());
            assertEquals("rabbitmq-0.example.internal:5672,rabbitmq-1.example.internal:5672,rabbitmq-2.example.internal:5672",
                    data.get("RABBITMQ_ADDRESSES"), values.toString());
        } else {
            for (String name : List.of("QUARKUS_REDIS_MASTER_NAME", "QUARKUS_REDIS_ROLE", "CLONES_REDIS_WRITE_REPLICAS", "RABBITMQ_ADDRESSES")) {
                assertFalse(data.containsKey(name), values + ": " + name + " without the values that ask for it");
            }
        }
    }

    /**
     * Over rediss:// every service checks that Redis's certificate names the host it dials (the Redis client would
     * skip that check by default), and with redis.tls.caSecret it trusts that CA, mounted where the configuration
     * says, in every pod that reads the configuration.
     */
    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void redisOverTlsChecksTheServerNameAndTrustsTheGivenCa(ValueSet values) {
        Rendered rendered = Rendered.of(values);
        ConfigMap config = rendered.all(ConfigMap.class).stream()
                .filter(c -> c.getData() != null && c.getData().containsKey("QUARKUS_REDIS_HOSTS")).findFirst()
                .orElseThrow(() -> new AssertionError(values + ": no ConfigMap with QUARKUS_REDIS_HOSTS"));
        Map<String, String> data = config.getData();
        if (data.get("QUARKUS_REDIS_HOSTS").startsWith("rediss://")) {
            assertEquals("redis", data.get("QUARKUS_REDIS_TLS_CONFIGURATION_NAME"), values.toString());
            assertEquals("HTTPS", data.get("QUARKUS_TLS_REDIS_HOSTNAME_VERIFICATION_ALGORITHM"), values.toString());
        } else {
            assertTrue(data.keySet().stream().noneMatch(k -> k.startsWith("QUARKUS_TLS_REDIS_") || k.startsWith("QUARKUS_REDIS_TLS_")),
                    values + ": TLS settings for a plain-text Redis");
        }
        String ca = data.get("QUARKUS_TLS_REDIS_TRUST_STORE_PEM_CERTS");
        assertEquals(values == ValueSet.REDIS_PRIVATE_CA, ca != null, values + ": the CA is configured exactly when redis.tls.caSecret is given");
        if (ca == null) {
            return;
        }
        Path caFile = Path.of(ca);
        int readers = 0;
        for (Workload workload : rendered.workloads()) {
            for (Container container : (Iterable<Container>) workload.allContainers()::iterator) {
                boolean readsConfig = Optional.ofNullable(container.getEnvFrom()).orElse(List.of()).stream()
                        .anyMatch(e -> e.getConfigMapRef() != null && config.getMetadata().getName().equals(e.getConfigMapRef().getName()));
                if (!readsConfig) {
                    continue;
                }
                readers++;
                String where = where(values, workload, container);
                VolumeMount mount = Optional.ofNullable(container.getVolumeMounts()).orElse(List.of()).stream()
                        .filter(m -> caFile.getParent().equals(Path.of(m.getMountPath()))).findFirst()
                        .orElseThrow(() -> new AssertionError(where + " does not mount " + caFile.getParent()));
                Volume volume = workload.spec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                        .orElseThrow(() -> new AssertionError(where + ": no volume " + mount.getName()));
                assertEquals("clones-redis-ca", volume.getSecret().getSecretName(), where);
                assertEquals(List.of(caFile.getFileName().toString()), volume.getSecret().getItems().stream().map(KeyToPath::getPath).toList(), where);
            }
        }
        assertEquals(ProjectLayout.SERVICES.size() + 1, readers, values + ": every service and the maintenance job read the configuration");
    }

    private interface ContainerCheck {
        void check(Workload workload, Container container);
    }

    private static void forEachContainer(ValueSet values, ContainerCheck check) {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Workload workload : Rendered.of(values).workloads()) {
            for (Container container : (Iterable<Container>) workload.allContainers()::iterator) {
                checked++;
                try {
                    check.check(workload, container);
                } catch (AssertionError e) {
                    failures.add(e.getMessage());
                }
            }
        }
        assertTrue(checked > 0, values + ": no containers rendered");
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    private static String where(ValueSet values, Workload workload, Container container) {
        return values + " " + workload.describe() + " container " + container.getName();
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }
}
