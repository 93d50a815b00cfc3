package dev.clones.testing;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Stands in for a Quarkus service in the harness' own tests: serves the two health endpoints. */
public final class FakeService {

    public static void main(String[] args) throws Exception {
        if (System.getenv("FAKE_FAIL") != null) {
            System.out.println("fake service refuses to start: " + System.getenv("FAKE_FAIL"));
            System.exit(3);
        }
        int port = Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/q/health/", exchange -> {
            byte[] body = ("{\"status\":\"UP\",\"replica\":\"" + System.getenv("CLONES_REPLICA_ID") + "\"}").getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.println("fake service listening on " + port + " as " + System.getenv("CLONES_REPLICA_ID"));
    }
}
