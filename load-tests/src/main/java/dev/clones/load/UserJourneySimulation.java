package dev.clones.load;

import dev.clones.load.check.ApiReadBack;
import dev.clones.load.check.InvariantChecker;
import dev.clones.load.client.Calls;
import dev.clones.load.client.RetryPolicy;
import dev.clones.load.client.RetryingHttp;
import dev.clones.load.ledger.AccountSeeder;
import dev.clones.load.ledger.Ledger;
import dev.clones.load.report.Fault;
import dev.clones.load.report.RunRecorder;
import dev.clones.load.report.RunSummary;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

/**
 * Before the load, {@code seedAccounts} accounts are registered through the API. Then {@code users} virtual
 * users arrive over {@code ramp} seconds; each takes one of those accounts (or, a {@code registerShare} of
 * them, signs up as a newcomer), logs in once (again after a logout) and then loops
 * the shopping journey with think times until {@code ramp + duration} seconds after the start. After the
 * ramp exactly {@code users} users are active at once, each holding its session and cart like a person at
 * a browser or phone: that is what "5,000 concurrent users" means here (not 5,000 requests in flight; with
 * a 3 s think time that is about users / 3.5 requests per second). Each user has its own connections, as
 * separate people would, unless {@code -DshareConnections=true}.
 *
 * <p>After the load, {@link #after()} reads everything back through the API, prints the invariant counts,
 * writes target/load/RUN/summary.md and fails the run (non-zero exit) if any count is not 0.
 */
public class UserJourneySimulation extends Simulation {

    private final LoadParameters parameters = LoadParameters.fromSystemProperties();
    private final RunRecorder recorder = new RunRecorder();
    private final RetryPolicy retries = new RetryPolicy(parameters.maxAttempts(), Duration.ofMillis(parameters.backoffMs()));
    private final Ledger ledger = new Ledger(emailSafe(parameters.run()) + "-"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    private final RetryingHttp api = new RetryingHttp(parameters.baseUrl(), retries);
    private volatile long endAtMs = Long.MAX_VALUE;

    /** Registrations in flight while seeding: enough to keep both auth replicas' hashing busy, no queue. */
    private static final int SEEDING_CONCURRENCY = 16;

    {
        HttpProtocolBuilder protocol = http.baseUrl(parameters.baseUrl())
                .acceptHeader("application/json")
                .userAgentHeader("clones-load (Gatling)")
                .disableWarmUp()
                // Every request reaches the servers: the run measures them, not a client cache.
                .disableCaching();
        if (parameters.shareConnections()) {
            protocol = protocol.shareConnections();
        }
        UserJourney journey = new UserJourney(parameters, ledger, new Calls(recorder, retries));
        OpenInjectionStep arrivals = parameters.rampSeconds() <= 0
                ? atOnceUsers(parameters.users())
                : rampUsers(parameters.users()).during(Duration.ofSeconds(parameters.rampSeconds()));
        setUp(scenario("user journey").exec(journey.life(() -> endAtMs)).injectOpen(arrivals))
                .protocols(protocol)
                // A safety net only: users finish their last iteration (a report may wait reportWait seconds).
                .maxDuration(Duration.ofSeconds(parameters.rampSeconds() + parameters.durationSeconds()
                        + parameters.reportWaitSeconds() + 600L));
    }

    @Override
    public void before() {
        if (parameters.seedAccounts() > 0) {
            System.out.printf(Locale.ROOT, "load: registering %,d accounts before the run%n", parameters.seedAccounts());
            AccountSeeder.Seeded seeded = new AccountSeeder(api, SEEDING_CONCURRENCY).seed(ledger, parameters.seedAccounts());
            System.out.println("load: " + seeded);
        }
        long now = System.currentTimeMillis();
        recorder.started(now);
        endAtMs = now + 1000L * (parameters.rampSeconds() + parameters.durationSeconds());
        System.out.printf(Locale.ROOT, "load: %d users against %s, ramp %d s, then %d s, think %.1f s; run %s%n",
                parameters.users(), parameters.baseUrl(), parameters.rampSeconds(), parameters.durationSeconds(),
                parameters.thinkSeconds(), parameters.run());
    }

    @Override
    public void after() {
        long loadEnded = System.currentTimeMillis();
        recorder.ended(loadEnded);
        System.out.printf("load: done; reading back %d users through the API%n", ledger.shoppers().size());
        InvariantChecker checker = new InvariantChecker(new ApiReadBack(api),
                Duration.ofSeconds(parameters.reportGraceSeconds()), Duration.ofSeconds(1), 32);
        InvariantChecker.Result result = checker.check(ledger.shoppers());
        Path summary;
        try {
            List<Fault> faults = Fault.read(parameters.faultsFile());
            summary = RunSummary.write(parameters.outputDir(),
                    new RunSummary.RunInfo(parameters.run(), parameters.baseUrl(), parameters.users(),
                            parameters.rampSeconds(), parameters.durationSeconds(), parameters.thinkSeconds(),
                            parameters.command(), loadEnded),
                    recorder, result.invariants(), result.problems(), faults,
                    new RunSummary.FaultWindow(parameters.faultBeforeSeconds(), parameters.faultAfterSeconds()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the run summary", e);
        }
        System.out.println();
        System.out.println("---- invariants " + "-".repeat(40));
        result.invariants().lines().forEach(System.out::println);
        result.problems().stream().limit(20).forEach(p -> System.out.println("  " + p));
        RunRecorder.Stats total = recorder.total();
        System.out.printf(Locale.ROOT, "requests: %,d attempts, %,d failed attempts, %,d failed after retries; "
                        + "p50 %d ms, p95 %d ms, p99 %d ms%n", total.attempts(), total.failedAttempts(),
                total.failedOperations(), total.latency().percentile(50), total.latency().percentile(95),
                total.latency().percentile(99));
        System.out.println("summary: " + summary);
        if (result.invariants().broken()) {
            throw new IllegalStateException("invariants broken: " + String.join(", ", result.invariants().lines()
                    .stream().filter(l -> !l.endsWith(": 0")).toList()) + " (see " + summary + ")");
        }
    }

    private static String emailSafe(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }
}
