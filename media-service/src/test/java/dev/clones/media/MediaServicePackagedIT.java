package dev.clones.media;

import dev.clones.testing.ApiReference;
import dev.clones.testing.TestStack;
import dev.clones.testing.quarkus.BackingServersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packaged artifact as built (the jar here, the native binary with -Pnative) against real Redis and
 * S3Proxy, with users logged in through auth-service: a file streamed to object storage and fetched back
 * through the signed URL the service hands out.
 */
@QuarkusIntegrationTest
@WithTestResource(value = BackingServersResource.class, initArgs = {
        @ResourceArg(name = BackingServersResource.SERVERS, value = "redis,s3"),
        @ResourceArg(name = BackingServersResource.AUTH_SERVICE, value = "true") })
class MediaServicePackagedIT {

    TestStack servers;

    @Test
    void apiReferenceListsExactlyTheOperationsThisServicePublishes() {
        assertEquals(ApiReference.ofThisRepository().operations("media-service"), ApiReference.servedOperations(),
                "docs/api.md (expected) against /q/openapi (actual): update the reference with the endpoint");
    }

    @Test
    void uploadedFileComesBackByteForByteThroughItsSignedUrl() throws Exception {
        String session = servers.newSession();
        byte[] bytes = new byte[300_000];
        new Random(42).nextBytes(bytes);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        String id = given().config(MediaCluster.AS_SENT).auth().oauth2(session)
                .header("X-File-Name", "packaged.bin").contentType("application/octet-stream").body(bytes)
                .post("/api/media/files")
                .then().statusCode(201).body("size", equalTo(bytes.length)).body("sha256", equalTo(sha256))
                .extract().path("id");

        String signedUrl = given().auth().oauth2(session).redirects().follow(false)
                .get("/api/media/files/" + id + "/content")
                .then().statusCode(302).header("Location", startsWith(servers.s3().endpoint()))
                .extract().header("Location");
        HttpResponse<byte[]> download = MediaCluster.PLAIN.send(HttpRequest.newBuilder(URI.create(signedUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(bytes, download.body());
    }

    @Test
    void filesNeedASession() {
        given().get("/api/media/files").then().statusCode(401).contentType("application/problem+json");
    }

}
