package dev.clones.load.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clones.load.client.RetryingHttp;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the run's population of existing accounts before the first virtual user arrives, through the
 * public registration endpoint (the production path, bcrypt and all), a few at a time. A site with 5,000
 * people online has far more accounts than sign-ups per minute: most arrivals only log in. An account
 * whose registration did not get a 201 is left out of the pool; its virtual user will be a newcomer.
 */
public final class AccountSeeder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RetryingHttp http;
    private final int concurrency;

    public AccountSeeder(RetryingHttp http, int concurrency) {
        this.http = http;
        this.concurrency = concurrency;
    }

    /** What seeding did, for the run's log. */
    public record Seeded(int accounts, int failed, long millis) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d accounts registered in %.1f s (%,d failed, left out)",
                    accounts, millis / 1000.0, failed);
        }
    }

    public Seeded seed(Ledger ledger, int count) {
        long start = System.currentTimeMillis();
        AtomicInteger failed = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency))) {
            List<Future<?>> work = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Shopper account = ledger.account();
                work.add(pool.submit(() -> {
                    if (register(account)) {
                        ledger.seeded(account);
                    } else {
                        failed.incrementAndGet();
                    }
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("seeding interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("seeding failed", e.getCause());
        }
        return new Seeded(ledger.seededLeft(), failed.get(), System.currentTimeMillis() - start);
    }

    private boolean register(Shopper account) {
        String body = JSON.createObjectNode().put("email", account.email()).put("password", account.password())
                .put("displayName", account.displayName()).toString();
        try {
            HttpResponse<Void> response = http.send(http.request("/api/auth/register")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 201;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
