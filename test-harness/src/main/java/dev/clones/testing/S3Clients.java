package dev.clones.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;

/**
 * A test's own S3 client of an {@link S3Server}, to look at what a service stored (objects, pending multipart uploads,
 * ETags) past its API. Needs the AWS SDK's s3 and apache-client on the test's class path (test-harness declares them
 * optional).
 */
public final class S3Clients {

    private S3Clients() {
    }

    /**
     * Path-style (S3Proxy serves no virtual-host buckets), with the server's static keys, in us-east-1 (S3Proxy takes
     * any region, the SDK needs one), over Apache's HTTP client as the services use it. The caller closes it.
     */
    public static S3Client of(S3Server s3) {
        return S3Client.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .forcePathStyle(true)
                .httpClient(ApacheHttpClient.create())
                .build();
    }
}
