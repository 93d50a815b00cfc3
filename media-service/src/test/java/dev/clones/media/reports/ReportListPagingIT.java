package dev.clones.media.reports;

import dev.clones.testing.LinkHeader;
import dev.clones.testing.ServiceProcess;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static dev.clones.testing.ProblemJson.problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/reports} comes a page at a time like every list: newest first, the next page in {@code Link}, the
 * cursor a position that any replica reads the same way. No worker runs, so the reports stay queued.
 */
class ReportListPagingIT {

    static ReportStack stack;
    static ServiceProcess mediaA;
    static ServiceProcess mediaB;

    @BeforeAll
    static void start() {
        stack = new ReportStack();
        Map<String, String> roomy = Map.of("MEDIA_REPORTS_MAX_ACTIVE_PER_USER", "20");
        mediaA = stack.startMedia("media-a", roomy);
        mediaB = stack.startMedia("media-b", roomy);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void pagesReadOnAlternatingReplicasGiveEveryReportOnceNewestFirstEvenWhenOneArrivesMeanwhile() {
        ReportStack.User user = stack.newUser();
        List<String> requested = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            requested.add(ReportStack.requestReport(mediaA, user, i % 2 == 0 ? "cart" : "orders", "csv")
                    .then().statusCode(202).extract().path("id"));
        }
        Response all = list(mediaA, user, "/api/reports");
        List<String> whole = all.jsonPath().getList("id");
        assertEquals(new HashSet<>(requested), new HashSet<>(whole));
        List<Instant> created = all.jsonPath().getList("createdAt", String.class).stream().map(Instant::parse).toList();
        for (int i = 1; i < created.size(); i++) {
            assertTrue(!created.get(i - 1).isBefore(created.get(i)), "newest first: " + created);
        }

        Response first = list(mediaA, user, "/api/reports?limit=2");
        List<String> seen = new ArrayList<>(first.jsonPath().getList("id"));
        assertEquals(2, seen.size());
        String next = LinkHeader.next(first.header("Link"));
        // Requested after the first page was read: it belongs before that page and must not shift the later ones.
        String late = ReportStack.requestReport(mediaB, user, "cart", "pdf").then().statusCode(202).extract().path("id");
        int pages = 1;
        while (next != null) {
            Response page = list(pages % 2 == 0 ? mediaA : mediaB, user, next);
            seen.addAll(page.jsonPath().getList("id"));
            next = LinkHeader.next(page.header("Link"));
            pages++;
        }
        assertEquals(whole, seen, "every report once, in the order of the whole list");
        assertEquals(3, pages, "five reports in pages of two");
        Response now = list(mediaB, user, "/api/reports");
        assertEquals(late, now.jsonPath().getList("id").getFirst());
        assertNull(LinkHeader.next(now.header("Link")), "six reports fit the default page of 50");
    }

    @Test
    void anotherUsersReportsNeverShowAndABadLimitOrCursorIs400() {
        ReportStack.User owner = stack.newUser();
        ReportStack.requestReport(mediaA, owner, "cart", "csv").then().statusCode(202);
        ReportStack.User other = stack.newUser();
        assertEquals(List.of(), list(mediaB, other, "/api/reports").jsonPath().getList("id"));
        for (String query : List.of("limit=0", "limit=101", "cursor=not-ours")) {
            problem(given().spec(mediaA.http()).auth().oauth2(owner.token()).get("/api/reports?" + query).then(), 400)
                    .body("detail", containsString(query.startsWith("limit") ? "limit" : "cursor"));
        }
    }

    private static Response list(ServiceProcess media, ReportStack.User user, String pathAndQuery) {
        Response response = given().spec(media.http()).auth().oauth2(user.token()).get(pathAndQuery);
        response.then().statusCode(200);
        return response;
    }
}
