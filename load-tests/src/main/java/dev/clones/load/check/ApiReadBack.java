package dev.clones.load.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clones.load.client.RetryingHttp;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.Optional;

/** {@link ReadBack} through the public entry point, retrying as the load's clients do (every read is safe to repeat). */
public final class ApiReadBack implements ReadBack {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RetryingHttp http;

    public ApiReadBack(RetryingHttp http) {
        this.http = http;
    }

    @Override
    public int sessionStatus(Credential credential) throws ReadBackException {
        return send(authorized(get("/api/auth/me"), credential), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Override
    public Credential login(String email, String password, boolean cookie) throws ReadBackException {
        String body = JSON.createObjectNode().put("email", email).put("password", password).toString();
        HttpRequest.Builder request = http.request("/api/auth/login")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        // Logging in again is safe to repeat: each attempt makes a new session and at worst one is left unused.
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        expect(200, response, "POST /api/auth/login");
        return new Credential(json(response).path("sessionId").asText(), cookie);
    }

    @Override
    public Map<String, Integer> cart(Credential credential) throws ReadBackException {
        HttpResponse<String> response = send(authorized(get("/api/cart"), credential), HttpResponse.BodyHandlers.ofString());
        expect(200, response, "GET /api/cart");
        return cartLines(json(response));
    }

    @Override
    public List<String> orderIds(Credential credential) throws ReadBackException {
        // A page at a time, as the API gives them: the next page's address is in the Link header.
        List<String> ids = new ArrayList<>();
        String path = "/api/orders?limit=100";
        while (path != null) {
            HttpResponse<String> response = send(authorized(get(path), credential), HttpResponse.BodyHandlers.ofString());
            expect(200, response, "GET " + path);
            json(response).forEach(order -> ids.add(order.path("id").asText()));
            path = response.headers().firstValue("Link").map(ApiReadBack::nextPage).orElse(null);
        }
        return ids;
    }

    /** The target of {@code rel="next"} in a Link header (RFC 8288), or null. */
    static String nextPage(String link) {
        Matcher next = NEXT.matcher(link);
        return next.find() ? next.group(1) : null;
    }

    @Override
    public String reportStatus(Credential credential, String reportId) throws ReadBackException {
        HttpResponse<String> response = send(authorized(get("/api/reports/" + reportId), credential),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return "missing";
        }
        expect(200, response, "GET /api/reports/" + reportId);
        return json(response).path("status").asText();
    }

    @Override
    public Optional<String> avatarSha256(String userId) throws ReadBackException {
        HttpResponse<byte[]> response = send(get("/api/media/avatar/" + userId), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new ReadBackException("GET /api/media/avatar/" + userId + " (following its redirect) answered "
                    + response.statusCode());
        }
        return Optional.of(sha256(response.body()));
    }

    /** sku to quantity of a cart as GET /api/cart and every cart change answer it. */
    public static Map<String, Integer> cartLines(JsonNode cart) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        cart.path("items").forEach(item -> lines.put(item.path("sku").asText(), item.path("quantity").asInt()));
        return lines;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private HttpRequest.Builder get(String path) {
        return http.request(path).GET();
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, Credential credential) {
        return credential.cookie()
                ? request.header("Cookie", "SID=" + credential.sessionId())
                : request.header("Authorization", "Bearer " + credential.sessionId());
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder builder, HttpResponse.BodyHandler<T> handler) throws ReadBackException {
        HttpRequest request = builder.copy().build();
        String what = request.method() + " " + request.uri().getPath();
        try {
            return http.send(builder, handler);
        } catch (IOException e) {
            throw new ReadBackException(what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadBackException(what + ": interrupted", e);
        }
    }

    private static void expect(int status, HttpResponse<?> response, String what) throws ReadBackException {
        if (response.statusCode() != status) {
            throw new ReadBackException(what + " answered " + response.statusCode());
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws ReadBackException {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ReadBackException("not JSON: " + response.body(), e);
        }
    }
}
