package dev.clones.auth;

import dev.clones.testing.ServiceProcess;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Behind TLS ({@code CLONES_SESSION_COOKIE_SECURE=true}) the cookie is {@code __Host-SID}, which a browser takes only
 * from HTTPS, for this host and {@code Path=/}. Replica {@code transition} still accepts a plain {@code SID} (browsers
 * holding one from before); replica {@code strict} no longer does. Both tell browsers to keep HTTPS (HSTS).
 */
class SecureSessionCookieIT {

    static AuthCluster cluster;
    static ServiceProcess transition;
    static ServiceProcess strict;

    @BeforeAll
    static void start() {
        cluster = AuthCluster.start(1, Map.of("CLONES_SESSION_COOKIE_SECURE", "true"));
        transition = cluster.replica(0);
        strict = cluster.addReplica(Map.of("CLONES_SESSION_COOKIE_SECURE", "true",
                "CLONES_SESSION_ACCEPT_UNPREFIXED_COOKIE", "false"));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theCookieIsHostPrefixedAndSecure() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(transition, email, "correct-horse").then().statusCode(201);
        Response login = AuthCluster.login(transition, email, "correct-horse");
        login.then().statusCode(200)
                .header("Set-Cookie", startsWith("__Host-SID="))
                .header("Set-Cookie", containsString("; Secure"))
                .header("Set-Cookie", containsString("Path=/"))
                .header("Strict-Transport-Security", startsWith("max-age="));
        String sid = login.path("sessionId");
        given().spec(strict.http()).cookie("__Host-SID", sid).get("/api/auth/me").then().statusCode(200).body("email", equalTo(email));
        given().spec(transition.http()).cookie("__Host-SID", sid).get("/api/auth/me").then().statusCode(200);
    }

    @Test
    void thePlainCookieIsAcceptedOnlyDuringTheTransition() {
        String sid = AuthCluster.newSession(transition);
        given().spec(transition.http()).cookie("SID", sid).get("/api/auth/me").then().statusCode(200);
        given().spec(strict.http()).cookie("SID", sid).get("/api/auth/me").then().statusCode(401);
    }

    @Test
    void logoutClearsEveryNameTheCookieIsAcceptedUnder() {
        String sid = AuthCluster.newSession(transition);
        List<String> cleared = given().spec(transition.http()).cookie("__Host-SID", sid).post("/api/auth/logout")
                .then().statusCode(204).extract().headers().getValues("Set-Cookie");
        assertEquals(2, cleared.size(), "Set-Cookie: " + cleared);
        assertTrue(cleared.stream().anyMatch(c -> c.startsWith("__Host-SID=;")), "Set-Cookie: " + cleared);
        assertTrue(cleared.stream().anyMatch(c -> c.startsWith("SID=;")), "Set-Cookie: " + cleared);
        given().spec(transition.http()).cookie("__Host-SID", sid).get("/api/auth/me").then().statusCode(401);
    }
}
