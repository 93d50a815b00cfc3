package dev.clones.load;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The run's parameters, all Java system properties (the Gatling Maven plugin passes {@code -Dname=value}
 * on to the simulation): {@code ./mvnw -pl load-tests gatling:test -Dusers=200 -Dduration=60}.
 * {@code seedAccounts} accounts are registered before the first arrival (0: none, everyone signs up);
 * an arriving user is a newcomer who registers with probability {@code registerShare}, else takes one.
 */
public record LoadParameters(
        String baseUrl,
        int users,
        int rampSeconds,
        int durationSeconds,
        int seedAccounts,
        double registerShare,
        double thinkSeconds,
        double checkoutChance,
        double reportChance,
        double avatarChance,
        double logoutChance,
        int maxAttempts,
        int backoffMs,
        int reportWaitSeconds,
        int reportGraceSeconds,
        boolean shareConnections,
        Path faultsFile,
        int faultBeforeSeconds,
        int faultAfterSeconds,
        String run,
        Path outputDir) {

    public static LoadParameters fromSystemProperties() {
        String run = System.getProperty("run",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        String faults = System.getProperty("faults", "");
        int users = Integer.getInteger("users", 50);
        return new LoadParameters(
                System.getProperty("baseUrl", "http://127.0.0.1:8080"),
                users,
                Integer.getInteger("ramp", 10),
                Integer.getInteger("duration", 60),
                // Enough accounts that every arrival who is not a newcomer finds one.
                Integer.getInteger("seedAccounts", users),
                // Most people who come to a shop have an account; a few sign up.
                number("registerShare", 0.05),
                number("think", 3.0),
                number("checkoutChance", 0.3),
                number("reportChance", 0.05),
                number("avatarChance", 0.1),
                number("logoutChance", 0.02),
                Integer.getInteger("maxAttempts", 4),
                Integer.getInteger("backoffMs", 200),
                Integer.getInteger("reportWait", 60),
                Integer.getInteger("reportGrace", 180),
                Boolean.getBoolean("shareConnections"),
                faults.isBlank() ? null : Path.of(faults),
                Integer.getInteger("faultBefore", 1),
                Integer.getInteger("faultAfter", 10),
                run,
                Path.of(System.getProperty("loadOutput", System.getProperty("load.defaultOutput", "target/load")))
                        .resolve(run).toAbsolutePath());
    }

    private static double number(String name, double fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : Double.parseDouble(value);
    }

    /** The command line that repeats this run, for the summary. */
    public String command() {
        return String.format(Locale.ROOT,
                "./mvnw -pl load-tests gatling:test -DbaseUrl=%s -Dusers=%d -Dramp=%d -Dduration=%d"
                        + " -DseedAccounts=%d -DregisterShare=%s -Dthink=%s"
                        + " -DcheckoutChance=%s -DreportChance=%s -DavatarChance=%s -DlogoutChance=%s%s%s",
                baseUrl, users, rampSeconds, durationSeconds, seedAccounts, registerShare, thinkSeconds, checkoutChance, reportChance,
                avatarChance, logoutChance, shareConnections ? " -DshareConnections=true" : "",
                faultsFile == null ? "" : " -Dfaults=" + faultsFile);
    }
}
