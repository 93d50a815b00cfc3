package dev.clones.media.storage;

import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.SdkServiceClientConfiguration;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.BaseSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

import java.util.concurrent.CompletableFuture;

/**
 * Sends request bodies to an S3 endpoint reached over plain HTTP as the SDK sends them over HTTPS: as
 * {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}, each body's CRC32 in a trailer, instead of signing every 128 KiB
 * chunk with HMAC-SHA256 ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}), which the SDK forces for
 * {@code http://} endpoints whatever the operation asks for. On the upload benchmark the chunk signing and its
 * hashing was the largest cost of a streamed upload (see docs/benchmarks.md).
 *
 * <p>What is given up: over plain HTTP, a signed chunk also proves that nobody on the path between the
 * service and storage altered it. The headers (method, path, part number, length, checksum algorithm)
 * stay signed; the CRC32 trailer still catches corruption; the service's own SHA-256 is of what the client
 * sent. Where the path to storage is not trusted, use HTTPS (where the SDK already works this way) or turn
 * this off with {@code media.s3.unsigned-payload-over-http=false}.
 *
 * <p>How: the request is signed as if its scheme were {@code https}, with a port that gives the same
 * {@code Host} header, so the SDK's own signer takes its HTTPS path (unsigned payload, checksum trailer);
 * the scheme is then put back. The scheme is not part of a SigV4 signature; the host header is, and stays
 * identical. Only for requests whose auth scheme left payload signing off (S3 does, for every operation);
 * the rest are signed unchanged. No reflection: a plain plugin, native-ready.
 */
final class UnsignedPayloadOverHttp implements SdkPlugin {

    static final UnsignedPayloadOverHttp INSTANCE = new UnsignedPayloadOverHttp();

    private UnsignedPayloadOverHttp() {
    }

    @Override
    public void configureClient(SdkServiceClientConfiguration.Builder config) {
        AuthScheme<?> configured = config.authSchemes().get(AwsV4AuthScheme.SCHEME_ID);
        AwsV4AuthScheme sigv4 = configured instanceof AwsV4AuthScheme v4 ? v4 : AwsV4AuthScheme.create();
        config.putAuthScheme(new Scheme(sigv4));
    }

    private record Scheme(AwsV4AuthScheme delegate) implements AuthScheme<AwsCredentialsIdentity> {
        @Override
        public String schemeId() {
            return AwsV4AuthScheme.SCHEME_ID;
        }

        @Override
        public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
            return delegate.identityProvider(providers);
        }

        @Override
        public HttpSigner<AwsCredentialsIdentity> signer() {
            return UnsignedPayloadOverHttp.signer(delegate.signer());
        }
    }

    /** {@code delegate}, signing plain-HTTP requests with a body as it signs HTTPS ones (see the class comment). */
    static HttpSigner<AwsCredentialsIdentity> signer(HttpSigner<AwsCredentialsIdentity> delegate) {
        return new Signer(delegate);
    }

    private record Signer(HttpSigner<AwsCredentialsIdentity> delegate) implements HttpSigner<AwsCredentialsIdentity> {
        @Override
        public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
            SdkHttpRequest original = request.request();
            if (!applies(request)) {
                return delegate.sign(request);
            }
            SignedRequest signed = delegate.sign(request.toBuilder().request(asHttps(original)).build());
            return signed.toBuilder().request(restored(signed.request(), original)).build();
        }

        @Override
        public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
            SdkHttpRequest original = request.request();
            if (!applies(request)) {
                return delegate.signAsync(request);
            }
            return delegate.signAsync(request.toBuilder().request(asHttps(original)).build())
                    .thenApply(signed -> signed.toBuilder().request(restored(signed.request(), original)).build());
        }
    }

    /**
     * Plain HTTP, a body, payload signing left off by the auth scheme, and a port whose Host header is the same
     * under both schemes (all but 443: {@code http://host:443} has the header {@code host:443}, {@code https://host:443}
     * just {@code host}).
     */
    static boolean applies(BaseSignRequest<?, ?> request) {
        SdkHttpRequest http = request.request();
        return "http".equals(http.protocol())
                && http.port() != 443
                && request.payload().isPresent()
                && Boolean.FALSE.equals(request.property(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED));
    }

    /** The same request under https; port 80 (standard, so absent from the Host header) becomes 443 (likewise). */
    static SdkHttpRequest asHttps(SdkHttpRequest http) {
        return http.toBuilder().protocol("https").port(http.port() == 80 ? 443 : http.port()).build();
    }

    private static SdkHttpRequest restored(SdkHttpRequest signed, SdkHttpRequest original) {
        return signed.toBuilder().protocol(original.protocol()).port(original.port()).build();
    }
}
