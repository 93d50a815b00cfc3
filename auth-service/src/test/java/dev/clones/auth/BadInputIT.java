package dev.clones.auth;

import dev.clones.testing.RawHttp;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.clones.testing.ProblemJson.problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets a 4xx problem+json that says what is wrong, and changes nothing. */
class BadInputIT extends AuthCluster.OneReplica {

    private static ValidatableResponse register(String json) {
        return given().spec(auth.http()).contentType(ContentType.JSON).body(json).post("/api/auth/register").then();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"email\": ", "not json at all", "[1,2", "{\"email\":\"a@b.c\",}"})
    void malformedJsonIs400(String body) {
        problem(register(body), 400);
    }

    @Test
    void missingBodyIs400() {
        problem(given().spec(auth.http()).contentType(ContentType.JSON).post("/api/auth/register").then(), 400);
    }

    @Test
    void missingFieldsAre400NamingThem() {
        problem(register("{\"email\":\"someone@example.org\"}"), 400)
                .body("detail", containsString("password"))
                .body("detail", containsString("displayName"));
    }

    @Test
    void wrongTypedFieldIs400NamingIt() {
        problem(register("{\"email\":5,\"password\":\"long-enough\",\"displayName\":\"x\"}"), 400)
                .body("detail", containsString("email"));
        problem(register("{\"email\":\"a@example.org\",\"password\":[\"x\"],\"displayName\":\"x\"}"), 400)
                .body("detail", containsString("password"));
    }

    @Test
    void invalidAndOversizedFieldsAre400() {
        problem(register("{\"email\":\"not-an-email\",\"password\":\"long-enough\",\"displayName\":\"x\"}"), 400)
                .body("detail", containsString("email"));
        problem(register("{\"email\":\"a@example.org\",\"password\":\"short\",\"displayName\":\"x\"}"), 400)
                .body("detail", containsString("password"));
        problem(register("{\"email\":\"a@example.org\",\"password\":\"long-enough\",\"displayName\":\"" + "x".repeat(101) + "\"}"), 400)
                .body("detail", containsString("displayName"));
        given().spec(auth.http()).contentType(ContentType.JSON)
                .body(Map.of("email", "a@example.org", "password", "long-enough")).post("/api/auth/login")
                .then().statusCode(401);
    }

    @Test
    void aCommonPasswordIs400AndCreatesNoAccount() {
        String email = "common-" + System.nanoTime() + "@example.org";
        problem(register("{\"email\":\"" + email + "\",\"password\":\"Password1\",\"displayName\":\"x\"}"), 400)
                .body("detail", containsString("password"))
                .body("detail", containsString("most common"));
        given().spec(auth.http()).contentType(ContentType.JSON).body("{\"email\":\"" + email + "\",\"password\":\"Password1\"}")
                .post("/api/auth/login").then().statusCode(401);
        register("{\"email\":\"" + email + "\",\"password\":\"an-uncommon-phrase-42\",\"displayName\":\"x\"}").statusCode(201);
    }

    @Test
    void oversizedBodyIs413() {
        String huge = "{\"email\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}";
        problem(register(huge), 413);
    }

    @Test
    void aLargeBodyIsRefusedFromItsLengthBeforeAnyOfItIsReadAndBeforeAuthentication() {
        // 50 MB announced, not one byte sent: the 413 can only come from the Content-Length.
        RawHttp.Answer answer = RawHttp.exchange(null, auth.port(), "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + 50_000_000, new byte[0]);
        assertEquals(413, answer.status());
        assertTrue(answer.body().contains("at most 65536"), answer.body());
        assertTrue(answer.hasHeader("content-type: application/problem+json"), answer.headers().toString());
        assertTrue(answer.closedAfter(), "the connection ends, so the rest of the body is never read");
    }

    @Test
    void aBodyWithoutALengthIs411() {
        RawHttp.Answer answer = RawHttp.exchange(null, auth.port(), "POST /api/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked", "2\r\n{}\r\n0\r\n\r\n".getBytes());
        assertEquals(411, answer.status());
        assertTrue(answer.closedAfter());
    }

    @Test
    void forgedSessionIdsAre401() {
        for (String forged : new String[] {"x", "A".repeat(43), "../../etc/passwd", "A".repeat(5000)}) {
            problem(given().spec(auth.http()).auth().oauth2(forged).get("/api/auth/me").then(), 401);
            problem(given().spec(auth.http()).cookie("SID", forged).get("/api/auth/me").then(), 401);
        }
    }

    @Test
    void cookieAuthenticatedChangeFromForeignOriginIs403() {
        String sid = AuthCluster.newSession(auth);
        problem(given().spec(auth.http()).cookie("SID", sid).header("Origin", "https://evil.example")
                .contentType(ContentType.JSON).body(Map.of("displayName", "Hacked")).patch("/api/auth/me").then(), 403);
        given().spec(auth.http()).auth().oauth2(sid).get("/api/auth/me").then().statusCode(200)
                .body("displayName", equalTo("Test User"));
        // A bearer token is not sent by browsers on their own, so Origin does not matter for it.
        given().spec(auth.http()).auth().oauth2(sid).header("Origin", "https://evil.example")
                .contentType(ContentType.JSON).body(Map.of("displayName", "Mobile")).patch("/api/auth/me")
                .then().statusCode(200);
        given().spec(auth.http()).cookie("SID", sid).header("Origin", "http://127.0.0.1:8080")
                .contentType(ContentType.JSON).body(Map.of("displayName", "Same site")).patch("/api/auth/me")
                .then().statusCode(200);
    }

    @Test
    void frameworkErrorsAreProblems() {
        problem(given().spec(auth.http()).get("/api/auth/nowhere").then(), 404);
        problem(given().spec(auth.http()).delete("/api/auth/me").then(), 405);
        problem(given().spec(auth.http()).contentType("text/plain").body("hello").post("/api/auth/register").then(), 415);
    }

    @Test
    void endpointsNeedingAUserAnswer401() {
        problem(given().spec(auth.http()).get("/api/auth/me").then(), 401);
        problem(given().spec(auth.http()).get("/api/auth/sessions").then(), 401);
        problem(given().spec(auth.http()).post("/api/auth/logout").then(), 401);
        problem(given().spec(auth.http()).delete("/api/auth/sessions").then(), 401);
    }
}
