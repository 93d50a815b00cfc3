package dev.clones.auth;

import dev.clones.testing.ApiReference;
import dev.clones.testing.TestStack;
import dev.clones.testing.quarkus.BackingServersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packaged artifact as built (the jar here, the native binary with -Pnative) against a real Redis: the
 * paths a native image can break (JSON both ways, Lua scripts loaded as resources, problem+json written by hand).
 */
@QuarkusIntegrationTest
@WithTestResource(value = BackingServersResource.class, initArgs = {
        @ResourceArg(name = BackingServersResource.SERVERS, value = "redis"),
        @ResourceArg(name = "auth.password.bcrypt-cost", value = "4") })
class AuthServicePackagedIT {

    TestStack servers;

    @Test
    void apiReferenceListsExactlyTheOperationsThisServicePublishes() {
        assertEquals(ApiReference.ofThisRepository().operations("auth-service"), ApiReference.servedOperations(),
                "docs/api.md (expected) against /q/openapi (actual): update the reference with the endpoint");
    }

    @Test
    void registeredUserLogsInAndReadsTheProfileFromTheSessionInRedis() {
        String email = "packaged-" + UUID.randomUUID() + "@example.org";
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "correct-horse", "displayName", "Packaged"))
                .post("/api/auth/register")
                .then().statusCode(201).body("email", equalTo(email)).extract().path("id");

        String session = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "correct-horse"))
                .post("/api/auth/login")
                .then().statusCode(200).cookie("SID", not(emptyString())).body("user.id", equalTo(id))
                .extract().path("sessionId");

        given().auth().oauth2(session).get("/api/auth/me")
                .then().statusCode(200).body("id", equalTo(id)).body("displayName", equalTo("Packaged"));
        // The session is Redis's, not the process's: exactly one for this user, indexed there.
        assertEquals("1", servers.redis().command("ZCARD", "user-sessions:" + id));
    }

    @Test
    void badInputAndUnknownPathsAreProblemJson() {
        given().contentType(ContentType.JSON).body("{\"email\": 5, \"password\": \"long-enough\", \"displayName\": \"x\"}")
                .post("/api/auth/register")
                .then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400));
        given().get("/api/auth/no-such-thing")
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
        given().get("/api/auth/me").then().statusCode(401).contentType("application/problem+json");
    }
}
