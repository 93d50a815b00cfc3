package dev.clones.media.reports;

import dev.clones.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.clones.testing.ProblemJson.problem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

/**
 * One user may have only so many reports queued or running (2 here), so that nobody can fill the job queue that
 * every user shares. No worker runs: the accepted reports stay queued.
 */
class ReportQuotaIT {

    static ReportStack stack;
    static ServiceProcess media;

    @BeforeAll
    static void start() {
        stack = new ReportStack();
        media = stack.startMedia("media-a", Map.of("MEDIA_REPORTS_MAX_ACTIVE_PER_USER", "2"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aUserWithTheMostReportsUnfinishedIsAskedToWaitWhileOthersAreNot() {
        ReportStack.User user = stack.newUser();
        ReportStack.requestReport(media, user, "cart", "csv").then().statusCode(202);
        ReportStack.requestReport(media, user, "orders", "pdf").then().statusCode(202);
        problem(ReportStack.requestReport(media, user, "cart", "pdf").then(), 429)
                .header("Retry-After", notNullValue())
                .body("detail", containsString("queued or running"));
        ReportStack.requestReport(media, stack.newUser(), "cart", "csv").then().statusCode(202);
    }
}
