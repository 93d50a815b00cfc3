package dev.clones.common.config;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The {@code service/replica} name that {@code X-Served-By} carries. */
@ApplicationScoped
public class ReplicaIdentity {

    private final String servedBy;

    public ReplicaIdentity(ClonesConfig config, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.servedBy = service + "/" + config.replicaId().orElseGet(ReplicaIdentity::hostName);
    }

    public String servedBy() {
        return servedBy;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
