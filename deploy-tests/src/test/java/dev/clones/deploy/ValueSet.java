package dev.clones.deploy;

import java.nio.file.Path;
import java.util.List;

/** The values the chart is rendered with in the tests; paths are relative to the project root. */
enum ValueSet {
    /** values.yaml alone: production-shaped, managed backing services. */
    DEFAULT(),
    /** ci/dev-values.yaml: throw-away backing servers, one replica each. */
    DEV("helm/clones/ci/dev-values.yaml"),
    /** ci/prod-values.yaml: TLS everywhere, KEDA, ServiceMonitor, existing Secret. */
    PROD("helm/clones/ci/prod-values.yaml"),
    /** Every optional object at once (maintenance CronJob, KEDA with dev servers, TLS...). */
    ALL_FEATURES("deploy-tests/src/test/resources/values/all-features.yaml"),
    /** A Redis reached over TLS whose certificate a private CA (redis.tls.caSecret) signed. */
    REDIS_PRIVATE_CA("deploy-tests/src/test/resources/values/redis-private-ca.yaml"),
    /** Redis through Sentinel with replica-confirmed writes, and a RabbitMQ cluster by its nodes' addresses. */
    HA_STATE_TIER("deploy-tests/src/test/resources/values/ha-state-tier.yaml");

    private final List<String> files;

    ValueSet(String... files) {
        this.files = List.of(files);
    }

    List<Path> files(ProjectLayout layout) {
        return files.stream().map(layout.root()::resolve).toList();
    }
}
