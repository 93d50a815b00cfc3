package dev.clones.media.storage;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wrapper around the SDK's own SigV4 signer, signing requests shaped as the S3 client shapes an UploadPart. */
class UnsignedPayloadOverHttpTest {

    static final byte[] BODY = "a part of a file, a few bytes long".getBytes(StandardCharsets.UTF_8);
    static final HttpSigner<AwsCredentialsIdentity> SDK = AwsV4HttpSigner.create();
    static final HttpSigner<AwsCredentialsIdentity> WRAPPED = UnsignedPayloadOverHttp.signer(SDK);

    @Test
    void theSdkAloneSignsEveryChunkOverPlainHttp() throws IOException {
        SignedRequest signed = SDK.sign(uploadPart("http://127.0.0.1:9000/bucket/key", false));
        assertEquals("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", contentSha256(signed));
        assertTrue(body(signed).contains("chunk-signature="), "why the wrapper exists: " + body(signed));
    }

    @Test
    void overPlainHttpThePayloadGoesUnsignedWithAChecksumTrailer() throws IOException {
        SignedRequest signed = WRAPPED.sign(uploadPart("http://127.0.0.1:9000/bucket/key", false));
        assertEquals("STREAMING-UNSIGNED-PAYLOAD-TRAILER", contentSha256(signed));
        String body = body(signed);
        assertFalse(body.contains("chunk-signature="), body);
        assertTrue(body.contains(new String(BODY, StandardCharsets.UTF_8)), body);
        assertTrue(body.contains("x-amz-checksum-crc32:"), body);
        // Still sent to the same place, with the Host header the signature covers.
        assertEquals("http", signed.request().protocol());
        assertEquals(9000, signed.request().port());
        assertEquals("127.0.0.1:9000", signed.request().firstMatchingHeader("Host").orElseThrow());
        assertTrue(signed.request().firstMatchingHeader("Authorization").orElseThrow().contains("SignedHeaders="));
    }

    @Test
    void onTheStandardPortTheHostHeaderStaysWithoutAPort() {
        SignedRequest signed = WRAPPED.sign(uploadPart("http://storage.internal/bucket/key", false));
        assertEquals("STREAMING-UNSIGNED-PAYLOAD-TRAILER", contentSha256(signed));
        assertEquals(80, signed.request().port());
        assertEquals("storage.internal", signed.request().firstMatchingHeader("Host").orElseThrow());
    }

    @Test
    void whereTheHostHeaderWouldChangeOrSigningIsAskedForNothingChanges() {
        // http on 443: under https the header would lose its ":443".
        assertEquals("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
                contentSha256(WRAPPED.sign(uploadPart("http://127.0.0.1:443/bucket/key", false))));
        // An operation that asks for a signed payload gets one.
        assertEquals("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
                contentSha256(WRAPPED.sign(uploadPart("http://127.0.0.1:9000/bucket/key", true))));
        // HTTPS is the SDK's own business: already unsigned.
        assertEquals("STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                contentSha256(WRAPPED.sign(uploadPart("https://127.0.0.1:9443/bucket/key", false))));
    }

    /** What the S3 client hands its signer for an UploadPart: aws-chunked allowed, payload signing off, CRC32. */
    private static SignRequest<AwsCredentialsIdentity> uploadPart(String url, boolean payloadSigning) {
        SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(URI.create(url))
                .putHeader("Content-Length", Integer.toString(BODY.length)).build();
        return SignRequest.builder(AwsCredentialsIdentity.create("access", "secret"))
                .request(http)
                .payload(ContentStreamProvider.fromByteArray(BODY))
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, payloadSigning)
                .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
                .putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32)
                .build();
    }

    private static String contentSha256(SignedRequest signed) {
        return signed.request().firstMatchingHeader("x-amz-content-sha256").orElseThrow();
    }

    private static String body(SignedRequest signed) throws IOException {
        try (InputStream in = signed.payload().orElseThrow().newStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
