package dev.clones.load.check;

import dev.clones.load.ReportStatuses;
import dev.clones.load.ledger.CartExpectation;
import dev.clones.load.ledger.Checkout;
import dev.clones.load.ledger.Shopper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Compares what every shopper did (the {@link Shopper} ledgers of the load generator) with what the API
 * shows after the run, and counts every difference. Plain Java: the API is behind {@link ReadBack}, so the
 * comparison is tested without a server.
 */
public final class InvariantChecker {

    private final ReadBack api;
    private final Duration reportGrace;
    private final Duration reportPoll;
    private final int parallelism;

    /**
     * @param reportGrace how long accepted reports still queued or running may take to finish after the load
     *                    stopped (the queue drains after the traffic)
     */
    public InvariantChecker(ReadBack api, Duration reportGrace, Duration reportPoll, int parallelism) {
        this.api = api;
        this.reportGrace = reportGrace;
        this.reportPoll = reportPoll;
        this.parallelism = parallelism;
    }

    /** What the check of one user found; {@code problems} says what, for the first few to be printed. */
    public record UserVerdict(boolean verified, boolean lostSession, long aliveAfterLogout, long lostCartLines,
                              long unexpectedCartLines, long duplicateOrders, long missingOrders, long ordersFound,
                              long reportsNotDone, long corruptUploads, List<String> problems) {
    }

    /** The invariants and, in {@code problems}, a description of each difference (capped by the caller). */
    public record Result(Invariants invariants, List<String> problems) {
    }

    public Result check(Collection<Shopper> shoppers) {
        long reportDeadline = System.nanoTime() + reportGrace.toNanos();
        List<UserVerdict> verdicts = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(parallelism)) {
            List<Future<UserVerdict>> futures = new ArrayList<>();
            for (Shopper shopper : shoppers) {
                futures.add(pool.submit(() -> verify(shopper, reportDeadline)));
            }
            for (Future<UserVerdict> future : futures) {
                verdicts.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking invariants", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("invariant check failed", e.getCause());
        }
        return summarize(shoppers, verdicts);
    }

    UserVerdict verify(Shopper shopper, long reportDeadline) {
        List<String> problems = new ArrayList<>();
        String who = "user " + shopper.number() + " (" + shopper.email() + ")";
        boolean lostSession = shopper.sessionLosses() > 0;
        if (lostSession) {
            problems.add(who + ": session rejected " + shopper.sessionLosses() + " time(s) during the run, first: "
                    + shopper.firstLoss());
        }
        long lostLines = shopper.lostCartLinesSeen();
        long unexpectedLines = shopper.unexpectedCartLinesSeen();
        if (lostLines + unexpectedLines > 0) {
            problems.add(who + ": during the run the cart lost " + lostLines + " line(s) and showed "
                    + unexpectedLines + " line(s) never put in");
        }
        long corrupt = shopper.corruptUploadsSeen();
        if (corrupt > 0) {
            problems.add(who + ": during the run the avatar came back with other bytes " + corrupt + " time(s)");
        }
        if (shopper.userId() == null) {
            // Never logged in (the run ended during its first steps): nothing was promised to this user.
            return new UserVerdict(true, lostSession, 0, lostLines, unexpectedLines, 0, 0, 0, 0, corrupt, problems);
        }
        try {
            Credential credential = null;
            Shopper.Login login = shopper.login();
            if (login != Shopper.Login.LOGGED_OUT) {
                Credential current = new Credential(shopper.sessionId(), shopper.usesCookie());
                int status = api.sessionStatus(current);
                if (status == 200) {
                    credential = current;
                } else if (status == 401 && login == Shopper.Login.LOGGED_IN) {
                    if (!lostSession) {
                        problems.add(who + ": logged in, but GET /api/auth/me answers 401 after the run");
                    }
                    lostSession = true;
                } else if (status != 401) {
                    throw new ReadBackException("GET /api/auth/me answered " + status);
                }
            }
            long alive = 0;
            for (String sessionId : shopper.sessionsLoggedOut()) {
                if (api.sessionStatus(new Credential(sessionId, shopper.usesCookie())) == 200) {
                    alive++;
                    problems.add(who + ": a session logged out during the run still works");
                }
            }
            if (credential == null) {
                credential = api.login(shopper.email(), shopper.password(), shopper.usesCookie());
            }

            Map<String, Integer> cart = api.cart(credential);
            CartExpectation.Difference difference = shopper.cart().compare(cart);
            if (!difference.none()) {
                problems.add(who + ": cart " + cart + " but expected one of " + shopper.cart().candidates());
            }
            lostLines += difference.lostLines();
            unexpectedLines += difference.unexpectedLines();

            List<String> orderIds = api.orderIds(credential);
            long[] orders = countOrders(shopper.checkouts(), orderIds, who, problems);

            long notDone = 0;
            for (String reportId : shopper.reportsAccepted()) {
                String status = awaitReport(credential, reportId, reportDeadline);
                if (!ReportStatuses.DONE.equals(status)) {
                    notDone++;
                    problems.add(who + ": report " + reportId + " is " + status);
                }
            }

            if (shopper.uploadedAvatar()) {
                String served = api.avatarSha256(shopper.userId()).orElse(Shopper.NO_AVATAR);
                if (!shopper.avatarCandidates().contains(served)) {
                    corrupt++;
                    problems.add(who + ": avatar sha256 " + (served.isEmpty() ? "(none, 404)" : served)
                            + " but uploaded " + shopper.avatarCandidates());
                }
            }
            return new UserVerdict(true, lostSession, alive, lostLines, unexpectedLines, orders[0], orders[1],
                    orderIds.size(), notDone, corrupt, problems);
        } catch (ReadBackException e) {
            problems.add(who + ": could not be read back: " + e.getMessage());
            return new UserVerdict(false, lostSession, 0, lostLines, unexpectedLines, 0, 0, 0, 0, corrupt, problems);
        }
    }

    /**
     * {duplicate orders, missing orders}. Every confirmed checkout must have its order on the server, once,
     * and no two keys may have been answered with the same order. A checkout whose every attempt failed may
     * have made an order or not, so it allows one order the ledger does not know; any order beyond those is
     * a duplicate.
     */
    static long[] countOrders(List<Checkout> checkouts, List<String> serverIds, String who, List<String> problems) {
        Map<String, Integer> onServer = new HashMap<>();
        serverIds.forEach(id -> onServer.merge(id, 1, Integer::sum));
        long duplicates = 0;
        for (Map.Entry<String, Integer> listed : onServer.entrySet()) {
            if (listed.getValue() > 1) {
                duplicates += listed.getValue() - 1;
                problems.add(who + ": order " + listed.getKey() + " listed " + listed.getValue() + " times");
            }
        }
        Set<String> confirmed = new HashSet<>();
        long missing = 0;
        long uncertain = 0;
        for (Checkout checkout : checkouts) {
            if (!checkout.confirmed()) {
                uncertain++;
            } else if (!confirmed.add(checkout.orderId())) {
                missing++;
                problems.add(who + ": two checkouts with different keys were answered with the same order "
                        + checkout.orderId());
            } else if (!onServer.containsKey(checkout.orderId())) {
                missing++;
                problems.add(who + ": confirmed order " + checkout.orderId() + " (key " + checkout.idempotencyKey()
                        + ") is not in GET /api/orders");
            }
        }
        long unknown = onServer.keySet().stream().filter(id -> !confirmed.contains(id)).count();
        if (unknown > uncertain) {
            duplicates += unknown - uncertain;
            problems.add(who + ": " + unknown + " order(s) nobody confirmed, but only " + uncertain
                    + " checkout(s) went unanswered");
        }
        return new long[] {duplicates, missing};
    }

    private String awaitReport(Credential credential, String reportId, long deadline) throws ReadBackException {
        String status = api.reportStatus(credential, reportId);
        while (ReportStatuses.UNFINISHED.contains(status) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(reportPoll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReadBackException("interrupted while waiting for report " + reportId, e);
            }
            status = api.reportStatus(credential, reportId);
        }
        return status;
    }

    static Result summarize(Collection<Shopper> shoppers, List<UserVerdict> verdicts) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Invariants.NAMES.forEach(name -> counts.put(name, 0L));
        List<String> problems = new ArrayList<>();
        long ordersFound = 0;
        for (UserVerdict v : verdicts) {
            counts.merge(Invariants.LOST_SESSIONS, v.lostSession() ? 1L : 0L, Long::sum);
            counts.merge(Invariants.SESSIONS_ALIVE_AFTER_LOGOUT, v.aliveAfterLogout(), Long::sum);
            counts.merge(Invariants.LOST_CART_LINES, v.lostCartLines(), Long::sum);
            counts.merge(Invariants.UNEXPECTED_CART_LINES, v.unexpectedCartLines(), Long::sum);
            counts.merge(Invariants.DUPLICATE_ORDERS, v.duplicateOrders(), Long::sum);
            counts.merge(Invariants.MISSING_ORDERS, v.missingOrders(), Long::sum);
            counts.merge(Invariants.REPORTS_NOT_DONE, v.reportsNotDone(), Long::sum);
            counts.merge(Invariants.CORRUPT_UPLOADS, v.corruptUploads(), Long::sum);
            counts.merge(Invariants.UNVERIFIED_USERS, v.verified() ? 0L : 1L, Long::sum);
            ordersFound += v.ordersFound();
            problems.addAll(v.problems());
        }
        Map<String, Long> facts = new LinkedHashMap<>();
        facts.put("users", (long) shoppers.size());
        facts.put("users logged in at least once", shoppers.stream().filter(s -> s.userId() != null).count());
        facts.put("session losses seen during the run", shoppers.stream().mapToLong(Shopper::sessionLosses).sum());
        facts.put("sessions logged out on purpose", shoppers.stream().mapToLong(s -> s.sessionsLoggedOut().size()).sum());
        facts.put("checkouts confirmed", shoppers.stream().mapToLong(s -> s.checkouts().stream().filter(Checkout::confirmed).count()).sum());
        facts.put("checkouts unanswered after retries", shoppers.stream().mapToLong(s -> s.checkouts().stream().filter(c -> !c.confirmed()).count()).sum());
        facts.put("orders found", ordersFound);
        facts.put("reports accepted", shoppers.stream().mapToLong(s -> s.reportsAccepted().size()).sum());
        facts.put("report requests unanswered after retries", shoppers.stream().mapToLong(Shopper::reportsUncertain).sum());
        facts.put("avatar uploads confirmed", shoppers.stream().mapToLong(Shopper::uploadsConfirmed).sum());
        facts.put("writes whose answer was lost", shoppers.stream().mapToLong(Shopper::uncertainWrites).sum());
        return new Result(new Invariants(counts, facts), problems);
    }
}
