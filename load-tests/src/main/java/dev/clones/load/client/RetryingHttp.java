package dev.clones.load.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The JDK's HTTP client against the public entry point, sending again after a transient failure (5xx, no
 * answer) with the load's backoff. Only for calls that are safe to repeat: reads, logins, and registrations
 * (the same one resent within auth's replay window answers the same 201).
 */
public final class RetryingHttp {

    private final String baseUrl;
    private final RetryPolicy retries;
    private final HttpClient http;

    public RetryingHttp(String baseUrl, RetryPolicy retries) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.retries = retries;
        // HTTP/1.1: the JDK's default HTTP/2 asks to upgrade the connection (h2c); a replica accepts, the load
        // balancer turns the connection into a tunnel to that replica, and the next call on it, meant for
        // another service, lands there (404). Redirects are followed for avatars (302 to a signed URL).
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    }

    /** The answer, the last one when every attempt failed transiently; throws when the last attempt got none. */
    public <T> HttpResponse<T> send(HttpRequest.Builder builder, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpRequest request = builder.build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<T> response = http.send(request, handler);
                if (!RetryPolicy.transientFailure(response.statusCode()) || attempt >= retries.maxAttempts()) {
                    return response;
                }
            } catch (IOException e) {
                if (attempt >= retries.maxAttempts()) {
                    throw e;
                }
            }
            Thread.sleep(retries.backoff(attempt));
        }
    }
}
