package dev.clones.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/**
 * The project's API reference, {@code docs/api.md}, read as data so that tests keep it true: the routing
 * table (prefix → service) and, per service, the HTTP operations its tables list. The page is written for
 * people; this reads only two shapes of table row, so the prose stays free:
 * <ul>
 *   <li>{@code | `/api/cart`, `/api/orders` | cart-service |}: a row of the routing table;</li>
 *   <li>{@code | `PUT /api/cart/items/{sku}` `{quantity}` | …}: an operation of the service whose
 *       {@code ## service} section holds the row. A row whose call cell says {@code (WebSocket)} is not an
 *       HTTP operation and is left out (OpenAPI does not describe WebSockets).</li>
 * </ul>
 */
public final class ApiReference {

    private static final Pattern ROUTE = Pattern.compile("^\\|\\s*(`/api/[^|]*)\\|\\s*([a-z-]+)\\s*\\|\\s*$");
    private static final Pattern PREFIX = Pattern.compile("`(/api/[^`]*)`");
    private static final Pattern OPERATION = Pattern.compile("^\\|\\s*`(GET|POST|PUT|PATCH|DELETE) (/api/[^`]*)`([^|]*)\\|");
    private static final Pattern SECTION = Pattern.compile("^## (.+?)\\s*$");

    private static final Set<String> HTTP_METHODS = Set.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE");

    private final List<String> lines;

    public ApiReference(List<String> lines) {
        this.lines = List.copyOf(lines);
    }

    /** docs/api.md of the checkout the tests run in, found from the module's directory upwards. */
    public static ApiReference ofThisRepository() {
        Path file = locate(Path.of("").toAbsolutePath());
        try {
            return new ApiReference(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path locate(Path from) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/api.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/api.md not found above " + from + ": the API reference travels with the repository");
    }

    /** The routing table: each public path prefix and the service that serves it, in the page's order. */
    public Map<String, String> routes() {
        Map<String, String> routes = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher row = ROUTE.matcher(line);
            if (row.matches()) {
                Matcher prefix = PREFIX.matcher(row.group(1));
                while (prefix.find()) {
                    routes.put(prefix.group(1), row.group(2));
                }
            }
        }
        return routes;
    }

    /** The HTTP operations ({@code "PUT /api/cart/items/{sku}"}) listed under the service's {@code ## service} heading. */
    public Set<String> operations(String service) {
        Set<String> operations = new TreeSet<>();
        String section = null;
        for (String line : lines) {
            Matcher heading = SECTION.matcher(line);
            if (heading.matches()) {
                section = heading.group(1);
                continue;
            }
            Matcher row = OPERATION.matcher(line);
            if (service.equals(section) && row.find() && !row.group(3).contains("(WebSocket)")) {
                operations.add(row.group(1) + " " + row.group(2));
            }
        }
        return operations;
    }

    /**
     * The HTTP operations the service under test publishes at {@code /q/openapi} (RestAssured's base URI,
     * as a {@code @QuarkusIntegrationTest} sets it), in the form {@link #operations} gives.
     */
    public static Set<String> servedOperations() {
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        Set<String> operations = new TreeSet<>();
        // A path item also holds non-operation fields (parameters, summary, servers): keep the methods only.
        paths.forEach((path, item) -> item.keySet().stream().map(key -> key.toUpperCase(Locale.ROOT)).filter(HTTP_METHODS::contains)
                .forEach(method -> operations.add(method + " " + path)));
        return operations;
    }
}
