package dev.clones.cart;

import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.clones.cart.CartCluster.SKU;
import static dev.clones.cart.CartCluster.add;
import static dev.clones.cart.CartCluster.as;
import static dev.clones.cart.CartCluster.checkout;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Requests racing over both replicas: the Lua scripts make every outcome exact. */
class ConcurrencyIT {

    static CartCluster cluster;

    @BeforeAll
    static void start() {
        cluster = CartCluster.start(2, Map.of());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void fiftyParallelIncrementsOverBothReplicasLoseNothing() {
        String user = cluster.newUser();
        List<Response> answers = Parallel.run(50, i -> add(cluster.anyCart(i), user, SKU, 1));
        assertEquals(List.of(200), statuses(answers), "every increment succeeded");
        as(cluster.cart(0), user).get("/api/cart").then().statusCode(200)
                .body("items[0].quantity", equalTo(50))
                .body("version", equalTo(50))
                .header("ETag", "\"50\"");
        // Every answer showed a different version: no two increments saw the same cart.
        assertEquals(50, answers.stream().map(r -> r.header("ETag")).collect(Collectors.toSet()).size());
    }

    @Test
    void parallelAddsNeverPassTheQuantityLimit() {
        String user = cluster.newUser();
        List<Response> answers = Parallel.run(60, i -> add(cluster.anyCart(i), user, SKU, 2));
        // 49 adds of 2 reach 98; every other add would pass 99.
        assertEquals(49, answers.stream().filter(r -> r.statusCode() == 200).count());
        assertEquals(11, answers.stream().filter(r -> r.statusCode() == 422).count());
        as(cluster.cart(1), user).get("/api/cart").then().body("items[0].quantity", equalTo(98));
    }

    @Test
    void twentyParallelCheckoutsWithOneKeyMakeExactlyOneOrder() {
        String user = cluster.newUser();
        add(cluster.cart(0), user, SKU, 3).then().statusCode(200);
        String key = UUID.randomUUID().toString();

        List<Response> answers = Parallel.run(20, i -> checkout(cluster.anyCart(i), user, key));

        assertEquals(List.of(201), statuses(answers), "every duplicate gets the order");
        Set<String> ids = answers.stream().map(r -> r.<String>path("id")).collect(Collectors.toSet());
        assertEquals(1, ids.size(), "all 20 answers carry the same order id");
        Set<String> bodies = answers.stream().map(Response::asString).collect(Collectors.toSet());
        assertEquals(1, bodies.size(), "all 20 answers carry the same order");
        assertEquals(1, answers.stream().filter(r -> "false".equals(r.header("Idempotent-Replayed"))).count(),
                "exactly one request made the order, the others were replays");
        as(cluster.cart(1), user).get("/api/orders").then().statusCode(200)
                .body("", hasSize(1)).body("[0].id", equalTo(ids.iterator().next()));
        as(cluster.cart(0), user).get("/api/cart").then().body("items", empty());
    }

    @Test
    void twentyParallelCheckoutsWithDifferentKeysOfAOneItemCartMakeOneOrderAnd19Conflicts() {
        String user = cluster.newUser();
        add(cluster.cart(1), user, SKU, 1).then().statusCode(200);

        List<Response> answers = Parallel.run(20, i -> checkout(cluster.anyCart(i), user, UUID.randomUUID().toString()));

        assertEquals(1, answers.stream().filter(r -> r.statusCode() == 201).count());
        assertEquals(19, answers.stream().filter(r -> r.statusCode() == 409).count());
        answers.stream().filter(r -> r.statusCode() == 409).forEach(r -> {
            assertEquals("application/problem+json", r.contentType());
            assertEquals(409, r.<Integer>path("status"));
        });
        as(cluster.cart(0), user).get("/api/orders").then().body("", hasSize(1));
    }

    private static List<Integer> statuses(List<Response> answers) {
        return answers.stream().map(Response::statusCode).distinct().sorted().toList();
    }
}
