package dev.clones.auth;

import dev.clones.testing.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two auth-service processes on one Redis: whatever one does, the other sees at once. */
class SessionsAcrossReplicasIT extends AuthCluster.TwoReplicas {

    @Test
    void sessionMadeThroughOneReplicaWorksOnTheOther() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201).body("email", equalTo(email));
        Response login = AuthCluster.login(a, email, "correct-horse");
        login.then().statusCode(200)
                .header("Set-Cookie", startsWith("SID="))
                .header("Set-Cookie", org.hamcrest.Matchers.containsString("HttpOnly"))
                .header("Set-Cookie", org.hamcrest.Matchers.containsString("SameSite=Lax"))
                .header("Set-Cookie", org.hamcrest.Matchers.containsString("Path=/"))
                .body("sessionId", matchesPattern("[A-Za-z0-9_-]{43}"));
        String sid = login.path("sessionId");

        given().spec(b.http()).cookie("SID", sid).get("/api/auth/me")
                .then().statusCode(200).body("email", equalTo(email)).header("X-Served-By", equalTo("auth-service/auth-b"));
        given().spec(b.http()).auth().oauth2(sid).get("/api/auth/me")
                .then().statusCode(200).body("email", equalTo(email));
    }

    @Test
    void everyLoginGetsANewSessionId() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        Set<String> ids = new HashSet<>();
        for (ServiceProcess replica : List.of(a, b, a)) {
            ids.add(AuthCluster.login(replica, email, "correct-horse").path("sessionId"));
        }
        assertEquals(3, ids.size());
        String any = ids.iterator().next();
        given().spec(b.http()).auth().oauth2(any).get("/api/auth/sessions")
                .then().statusCode(200).body("", hasSize(3)).body("current", hasItem(true));
    }

    @Test
    void logoutThroughOneReplicaEndsTheSessionOnTheOther() {
        String sid = AuthCluster.newSession(a);
        given().spec(b.http()).auth().oauth2(sid).get("/api/auth/me").then().statusCode(200);

        given().spec(a.http()).cookie("SID", sid).post("/api/auth/logout")
                .then().statusCode(204)
                .header("Clear-Site-Data", equalTo("\"cookies\""))
                .header("Set-Cookie", startsWith("SID=;"))
                .header("Cache-Control", equalTo("no-store"));

        given().spec(b.http()).auth().oauth2(sid).get("/api/auth/me")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void revokingOneSessionThroughOneReplicaIsEffectiveOnTheOther() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        String phone = AuthCluster.login(a, email, "correct-horse").path("sessionId");
        String laptop = AuthCluster.login(b, email, "correct-horse").path("sessionId");

        List<Map<String, Object>> sessions = given().spec(a.http()).auth().oauth2(laptop).get("/api/auth/sessions")
                .then().statusCode(200).body("", hasSize(2)).extract().path("");
        String phoneHandle = sessions.stream().filter(s -> !(Boolean) s.get("current")).findFirst().orElseThrow().get("id").toString();
        assertNotEquals(phone, phoneHandle, "the listed id is a handle, not the secret token");

        given().spec(a.http()).auth().oauth2(laptop).delete("/api/auth/sessions/" + phoneHandle).then().statusCode(204);
        given().spec(b.http()).auth().oauth2(phone).get("/api/auth/me").then().statusCode(401);
        given().spec(b.http()).auth().oauth2(laptop).get("/api/auth/me").then().statusCode(200);
        given().spec(b.http()).auth().oauth2(laptop).delete("/api/auth/sessions/" + phoneHandle).then().statusCode(404);
    }

    @Test
    void oneUserCannotRevokeAnotherUsersSession() {
        String mallory = AuthCluster.newSession(a);
        String alice = AuthCluster.newSession(a);
        String aliceHandle = given().spec(a.http()).auth().oauth2(alice).get("/api/auth/sessions").path("[0].id");
        given().spec(b.http()).auth().oauth2(mallory).delete("/api/auth/sessions/" + aliceHandle)
                .then().statusCode(404).contentType("application/problem+json");
        given().spec(b.http()).auth().oauth2(alice).get("/api/auth/me").then().statusCode(200);
    }

    @Test
    void logOutEverywhereEndsEverySession() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        String first = AuthCluster.login(a, email, "correct-horse").path("sessionId");
        String second = AuthCluster.login(b, email, "correct-horse").path("sessionId");
        given().spec(b.http()).auth().oauth2(first).delete("/api/auth/sessions").then().statusCode(204);
        given().spec(a.http()).auth().oauth2(first).get("/api/auth/me").then().statusCode(401);
        given().spec(a.http()).auth().oauth2(second).get("/api/auth/me").then().statusCode(401);
    }

    @Test
    void profileChangedThroughOneReplicaIsReadThroughTheOther() {
        String sid = AuthCluster.newSession(a);
        given().spec(a.http()).auth().oauth2(sid).contentType(ContentType.JSON)
                .body(Map.of("displayName", "Renamed Everywhere")).patch("/api/auth/me")
                .then().statusCode(200).body("displayName", equalTo("Renamed Everywhere"));
        given().spec(b.http()).auth().oauth2(sid).get("/api/auth/me")
                .then().statusCode(200).body("displayName", equalTo("Renamed Everywhere"));
    }

    @Test
    void emailIsTakenWhateverItsCase() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        AuthCluster.register(b, email.toUpperCase(), "other-password").then().statusCode(409)
                .contentType("application/problem+json").body("status", equalTo(409));
    }

    @Test
    void registrationResentThroughAnotherReplicaAnswersTheAccountItCreated() {
        String email = AuthCluster.uniqueEmail();
        String id = AuthCluster.register(a, email, "correct-horse").then().statusCode(201).extract().path("id");
        // The client never saw that answer (a cut connection) and sends the same registration again.
        AuthCluster.register(b, email.toUpperCase(), "correct-horse").then().statusCode(201)
                .body("id", equalTo(id)).body("email", equalTo(email));
        AuthCluster.login(a, email, "correct-horse").then().statusCode(200).body("user.id", equalTo(id));
    }

    @Test
    void sameEmailAndPasswordUnderAnotherNameIsAConflict() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        given().spec(b.http()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "correct-horse", "displayName", "Someone Else"))
                .post("/api/auth/register")
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void registrationResentAfterTheReplayWindowIsAConflict() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        ServiceProcess noReplay = cluster.addReplica(Map.of("AUTH_REGISTRATION_REPLAY_WINDOW", "PT0S"));
        AuthCluster.register(noReplay, email, "correct-horse").then().statusCode(409)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("already registered"));
    }

    @Test
    void unknownEmailAndWrongPasswordGetTheSameAnswer() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        Response wrongPassword = AuthCluster.login(a, email, "wrong-password");
        Response unknownEmail = AuthCluster.login(b, AuthCluster.uniqueEmail(), "wrong-password");
        assertEquals(401, wrongPassword.statusCode());
        assertEquals(401, unknownEmail.statusCode());
        assertEquals(wrongPassword.<String>path("detail"), unknownEmail.<String>path("detail"));
        assertEquals(wrongPassword.<String>path("title"), unknownEmail.<String>path("title"));
    }

    @Test
    void seededAdminExistsOnceAndCanLogIn() {
        AuthCluster.login(b, "admin@test.local", "admin-password")
                .then().statusCode(200).body("user.roles", hasItem("admin"));
        assertEquals("1", cluster.redis.command("EXISTS", "user-email:admin@test.local"));
    }

    @Test
    void anAdministratorEndsEveryOneOfAUsersSessionsOnEveryReplicaAndNobodyElseMay() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        String onA = AuthCluster.login(a, email, "correct-horse").path("sessionId");
        String onB = AuthCluster.login(b, email, "correct-horse").path("sessionId");
        String userId = AuthCluster.me(a, onA).body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        String bystander = AuthCluster.newSession(b);

        assertEquals(403, AuthCluster.call(a, "DELETE", "/api/auth/users/" + userId + "/sessions", bystander, null).statusCode(),
                "a user who is not an administrator");
        assertEquals(401, AuthCluster.call(a, "DELETE", "/api/auth/users/" + userId + "/sessions", null, null).statusCode());
        assertEquals(200, AuthCluster.me(b, onA).statusCode(), "refused calls end nothing");

        String admin = AuthCluster.login(b, "admin@test.local", "admin-password").path("sessionId");
        assertEquals(404, AuthCluster.call(b, "DELETE", "/api/auth/users/no-such-user/sessions", admin, null).statusCode());
        assertEquals(204, AuthCluster.call(b, "DELETE", "/api/auth/users/" + userId + "/sessions", admin, null).statusCode());
        for (ServiceProcess replica : List.of(a, b)) {
            assertEquals(401, AuthCluster.me(replica, onA).statusCode(), replica.name());
            assertEquals(401, AuthCluster.me(replica, onB).statusCode(), replica.name());
            assertEquals(200, AuthCluster.me(replica, bystander).statusCode(), "other users keep theirs");
            assertEquals(200, AuthCluster.me(replica, admin).statusCode(), "so does the administrator");
        }
        AuthCluster.login(a, email, "correct-horse").then().statusCode(200);
    }

    @Test
    void responsesNameTheReplicaAndCarryTheRequestId() {
        given().spec(a.http()).header("X-Request-Id", "trace-123").get("/api/auth/me")
                .then().statusCode(401)
                .header("X-Request-Id", equalTo("trace-123"))
                .header("X-Served-By", equalTo("auth-service/auth-a"))
                .body("requestId", equalTo("trace-123"));
        String generated = given().spec(b.http()).get("/q/health/live").then().statusCode(200)
                .header("X-Served-By", equalTo("auth-service/auth-b")).extract().header("X-Request-Id");
        assertTrue(generated != null && !generated.isBlank());
        given().spec(a.http()).get("/api/auth/me").then().header("Cache-Control", equalTo("no-store"));
    }

    @Test
    void aLoginEndsTheSessionTheRequestCarried() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        String before = AuthCluster.login(a, email, "correct-horse").then().statusCode(200).extract().path("sessionId");

        // A browser logging in again sends the cookie it holds (one planted by someone else, perhaps).
        String after = given().spec(b.http()).cookie("SID", before).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "correct-horse"))
                .post("/api/auth/login").then().statusCode(200).extract().path("sessionId");

        assertNotEquals(before, after);
        given().spec(a.http()).auth().oauth2(before).get("/api/auth/me").then().statusCode(401);
        given().spec(a.http()).auth().oauth2(after).get("/api/auth/me").then().statusCode(200);
    }
}
