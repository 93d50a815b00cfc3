package dev.clones.media;

import dev.clones.testing.LinkHeader;
import dev.clones.testing.ServiceProcess;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.clones.testing.ProblemJson.problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Lists come a page at a time: {@code limit} (1–100, default 50) items of a JSON array, and the next page's address
 * in {@code Link: <…>; rel="next"}, absent on the last page. The cursor marks where a page ended, so a file added
 * while a client pages neither repeats an item nor skips one.
 */
class PagedListsIT {

    static MediaCluster cluster;
    static ServiceProcess media;

    @BeforeAll
    static void start() {
        cluster = MediaCluster.start();
        media = cluster.media("media-a", Map.of());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void pagesFollowTheirLinksToTheEndNewestFirstWithoutRepeatsEvenWhenFilesArrive() throws Exception {
        String session = cluster.newSession();
        List<String> uploaded = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            uploaded.add(upload(session, "file-" + i + ".txt"));
        }

        List<String> whole = list(session, "/api/media/files").jsonPath().getList("id");
        assertEquals(new HashSet<>(uploaded), new HashSet<>(whole));

        Response first = list(session, "/api/media/files?limit=2");
        List<String> seen = new ArrayList<>(first.jsonPath().getList("id"));
        assertEquals(2, seen.size());
        String next = nextLink(first);
        // Arrives after the first page was read: it belongs before it, and must not push anything into page two.
        String late = upload(session, "late.txt");
        while (next != null) {
            Response page = list(session, next);
            seen.addAll(page.jsonPath().getList("id"));
            next = nextLink(page);
        }
        assertEquals(whole, seen, "every file once, in the order of the whole list (newest first)");
        assertEquals(late, list(session, "/api/media/files").jsonPath().getList("id").getFirst());
        assertNull(nextLink(list(session, "/api/media/files")), "six files fit the default page of 50");
    }

    @Test
    void aLimitOutOfRangeOrAForeignCursorIs400() {
        String session = cluster.newSession();
        for (String query : List.of("limit=0", "limit=101", "limit=ten", "cursor=not-ours", "cursor=MTIzfA")) {
            problem(given().spec(media.http()).auth().oauth2(session).get("/api/media/files?" + query).then(), 400)
                    .body("detail", containsString(query.startsWith("limit") ? "limit" : "cursor"));
        }
    }

    private static String upload(String session, String name) throws Exception {
        var answer = MediaCluster.postFile(media, session, name, HttpRequest.BodyPublishers.ofString("content of " + name));
        assertEquals(201, answer.statusCode(), answer.body());
        Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(answer.body());
        return id.find() ? id.group(1) : null;
    }

    private static Response list(String session, String pathAndQuery) {
        Response response = given().spec(media.http()).auth().oauth2(session).get(pathAndQuery);
        response.then().statusCode(200);
        return response;
    }

    private static String nextLink(Response page) {
        return LinkHeader.next(page.header("Link"));
    }
}
