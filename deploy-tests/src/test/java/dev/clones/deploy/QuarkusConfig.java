package dev.clones.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What a packaged service really runs with in the prod profile, read from the same files Quarkus
 * reads: the service's application.properties (ordinal 250) over common's
 * microprofile-config.properties (ordinal 100), over Quarkus' own defaults given by the caller.
 */
final class QuarkusConfig {

    private final List<Properties> sources;

    private QuarkusConfig(List<Properties> sources) {
        this.sources = sources;
    }

    /** Empty when the service has no application.properties yet (module still being written). */
    static Optional<QuarkusConfig> ofService(ProjectLayout layout, String service) {
        Path properties = layout.service(service).resolve("src/main/resources/application.properties");
        if (!Files.isRegularFile(properties)) {
            return Optional.empty();
        }
        return Optional.of(new QuarkusConfig(List.of(load(properties), load(layout.commonConfig()))));
    }

    static QuarkusConfig common(ProjectLayout layout) {
        return new QuarkusConfig(List.of(load(layout.commonConfig())));
    }

    String get(String key, String quarkusDefault) {
        for (Properties source : sources) {
            for (String candidate : List.of("%prod." + key, key)) {
                String value = source.getProperty(candidate);
                if (value != null && !value.isBlank()) {
                    return value.trim();
                }
            }
        }
        return quarkusDefault;
    }

    boolean getBoolean(String key, boolean quarkusDefault) {
        return Boolean.parseBoolean(get(key, String.valueOf(quarkusDefault)));
    }

    Duration getDuration(String key, String quarkusDefault) {
        return parseDuration(get(key, quarkusDefault));
    }

    /** Quarkus duration syntax: ISO-8601 (PT10S), a number with ms/s/m/h/d, or plain seconds. */
    static Duration parseDuration(String text) {
        String value = text.trim();
        if (value.toUpperCase().startsWith("P")) {
            return Duration.parse(value.toUpperCase());
        }
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        char unit = value.charAt(value.length() - 1);
        if (Character.isDigit(unit)) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("Not a Quarkus duration: " + text);
        };
    }

    /** The port health answers on: the management interface's when enabled, else the HTTP port. */
    int healthPort() {
        if (getBoolean("quarkus.management.enabled", false)) {
            return Integer.parseInt(get("quarkus.management.port", "9000"));
        }
        return Integer.parseInt(get("quarkus.http.port", "8080"));
    }

    int httpPort() {
        return Integer.parseInt(get("quarkus.http.port", "8080"));
    }

    /** Path of a health check ("liveness", "readiness" or "startup") following SmallRye Health's rules. */
    String healthPath(String check) {
        String base;
        if (getBoolean("quarkus.management.enabled", false)) {
            base = absolute("/", get("quarkus.management.root-path", "q"));
        } else {
            String httpRoot = get("quarkus.http.root-path", "/");
            base = absolute(httpRoot, get("quarkus.http.non-application-root-path", "q"));
        }
        String healthRoot = absolute(base, get("quarkus.smallrye-health.root-path", "health"));
        String leaf = switch (check) {
            case "liveness" -> get("quarkus.smallrye-health.liveness-path", "live");
            case "readiness" -> get("quarkus.smallrye-health.readiness-path", "ready");
            case "startup" -> get("quarkus.smallrye-health.startup-path", "started");
            default -> throw new IllegalArgumentException(check);
        };
        return absolute(healthRoot, leaf);
    }

    /** A path relative to {@code parent} unless it is absolute, as Quarkus resolves these settings. */
    private static String absolute(String parent, String path) {
        if (path.startsWith("/")) {
            return trimSlash(path);
        }
        String prefix = parent.endsWith("/") ? parent : parent + "/";
        return trimSlash(prefix + path);
    }

    private static String trimSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }
}
