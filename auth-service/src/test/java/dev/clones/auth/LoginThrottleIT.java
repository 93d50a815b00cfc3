package dev.clones.auth;

import dev.clones.auth.repository.UserRepository;
import dev.clones.testing.RawHttp;
import dev.clones.testing.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Failed logins and registrations are counted in Redis, so spreading them over replicas gains nothing; one atomic
 * script takes an attempt's slot before its password is checked, so sending them in parallel gains nothing either.
 * The services believe X-Forwarded-For only from a trusted proxy (loopback 127.0.0.1 here, as ./stack's HAProxy):
 * the tests speak as that proxy to give attempts addresses, and as an untrusted peer (127.0.0.2) to show that
 * the header is then ignored.
 */
class LoginThrottleIT {

    static final int PER_ACCOUNT_AND_ADDRESS = 3;
    static final int PER_ACCOUNT = 6;
    static final int PER_ADDRESS = 8;
    static final int REGISTRATIONS = 4;

    static AuthCluster cluster;
    static ServiceProcess a;
    static ServiceProcess b;

    @BeforeAll
    static void start() {
        cluster = AuthCluster.start(2, Map.of(
                "AUTH_THROTTLE_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS", Integer.toString(PER_ACCOUNT_AND_ADDRESS),
                "AUTH_THROTTLE_MAX_FAILURES_PER_ACCOUNT", Integer.toString(PER_ACCOUNT),
                "AUTH_THROTTLE_MAX_FAILURES_PER_ADDRESS", Integer.toString(PER_ADDRESS),
                "AUTH_THROTTLE_MAX_REGISTRATIONS_PER_ADDRESS", Integer.toString(REGISTRATIONS)));
        a = cluster.replica(0);
        b = cluster.replica(1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void forgetEarlierAttempts() {
        cluster.redis.command("FLUSHALL");
    }

    @Test
    void accountIsThrottledAcrossReplicasEvenForTheRightPassword() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        AuthCluster.login(a, email, "wrong-1").then().statusCode(401);
        AuthCluster.login(b, email, "wrong-2").then().statusCode(401);
        AuthCluster.login(a, email, "wrong-3").then().statusCode(401);
        AuthCluster.login(b, email, "correct-horse").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("detail", containsString("account"));
    }

    @Test
    void clientAddressIsThrottledAcrossAccounts() {
        for (int i = 0; i < PER_ADDRESS; i++) {
            AuthCluster.login(i % 2 == 0 ? a : b, AuthCluster.uniqueEmail(), "guess").then().statusCode(401);
        }
        AuthCluster.login(a, AuthCluster.uniqueEmail(), "guess").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("detail", containsString("client address"));
    }

    @Test
    void anAttemptRefusedAtTheAddressLimitHoldsNoSlotOfItsAccount() {
        // Counters are taken one by one (one key per script, for Redis Cluster): the account's slots, taken before
        // the address counter refused, are given back before the 429, as if none had been taken.
        for (int i = 0; i < PER_ADDRESS; i++) {
            AuthCluster.login(a, AuthCluster.uniqueEmail(), "guess").then().statusCode(401);
        }
        String email = AuthCluster.uniqueEmail();
        AuthCluster.login(b, email, "guess").then().statusCode(429).body("detail", containsString("client address"));
        assertEquals("0", cluster.redis.command("EXISTS", "login-failures:account:" + UserRepository.normalizeEmail(email)));
    }

    @Test
    void parallelGuessesGetNoMoreThanTheLimitChecked() throws Exception {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        List<Callable<Integer>> guesses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ServiceProcess replica = i % 2 == 0 ? a : b;
            String guess = "wrong-" + i;
            guesses.add(() -> AuthCluster.login(replica, email, guess).statusCode());
        }
        int checked = 0;
        int refused = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(30)) {
            for (Future<Integer> answer : pool.invokeAll(guesses)) {
                int status = answer.get();
                if (status == 401) {
                    checked++;
                } else if (status == 429) {
                    refused++;
                } else {
                    throw new AssertionError("A guess was answered " + status);
                }
            }
        }
        assertEquals(PER_ACCOUNT_AND_ADDRESS, checked, "guesses whose password was checked");
        assertEquals(30 - PER_ACCOUNT_AND_ADDRESS, refused);
    }

    @Test
    void failuresFromOneAddressLeaveTheOwnerAbleToLogInFromAnother() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        for (int i = 0; i < PER_ACCOUNT_AND_ADDRESS; i++) {
            loginFrom("203.0.113.9", i % 2 == 0 ? a : b, email, "wrong-" + i).then().statusCode(401);
        }
        loginFrom("203.0.113.9", a, email, "correct-horse").then().statusCode(429)
                .body("detail", containsString("this account from this client address"));
        loginFrom("198.51.100.7", b, email, "correct-horse").then().statusCode(200);
    }

    @Test
    void guessesSprayedFromManyAddressesAreStillSlowedForTheAccount() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        for (int i = 0; i < PER_ACCOUNT; i++) {
            loginFrom("203.0.113." + (10 + i), i % 2 == 0 ? a : b, email, "wrong-" + i).then().statusCode(401);
        }
        loginFrom("203.0.113.99", a, email, "wrong").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("detail", containsString("failed logins for this account;"));
    }

    @Test
    void aCorrectPasswordGivesItsSlotBack() {
        String email = AuthCluster.uniqueEmail();
        AuthCluster.register(a, email, "correct-horse").then().statusCode(201);
        for (int i = 0; i < 3 * PER_ACCOUNT_AND_ADDRESS; i++) {
            loginFrom("203.0.113.9", i % 2 == 0 ? a : b, email, "correct-horse").then().statusCode(200);
        }
        for (int i = 0; i < PER_ACCOUNT_AND_ADDRESS; i++) {
            loginFrom("203.0.113.9", a, email, "wrong-" + i).then().statusCode(401);
        }
        loginFrom("203.0.113.9", a, email, "wrong").then().statusCode(429);
    }

    @Test
    void anUntrustedPeerCannotChooseTheAddressItIsCountedUnder() {
        for (int i = 0; i < PER_ADDRESS; i++) {
            assertEquals(401, loginFromUntrustedPeer(i % 2 == 0 ? a : b, "198.51.100." + i, AuthCluster.uniqueEmail()));
        }
        assertEquals(429, loginFromUntrustedPeer(a, "198.51.100.200", AuthCluster.uniqueEmail()),
                "every guess counted against 127.0.0.2, whatever its X-Forwarded-For said");
        // The addresses it named were never charged.
        loginFrom("198.51.100.0", b, AuthCluster.uniqueEmail(), "guess").then().statusCode(401);
    }

    @Test
    void registrationsAreThrottledPerClientAddress() {
        for (int i = 0; i < REGISTRATIONS; i++) {
            registerFrom("203.0.113.50", i % 2 == 0 ? a : b).then().statusCode(201);
        }
        registerFrom("203.0.113.50", a).then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("detail", containsString("registrations from this client address"));
        registerFrom("203.0.113.51", b).then().statusCode(201);
    }

    /** A login sent as the trusted proxy does, on behalf of a client at {@code address}. */
    private static Response loginFrom(String address, ServiceProcess replica, String email, String password) {
        return given().spec(replica.http()).contentType(ContentType.JSON).header("X-Forwarded-For", address)
                .body(Map.of("email", email, "password", password))
                .post("/api/auth/login");
    }

    private static Response registerFrom(String address, ServiceProcess replica) {
        return given().spec(replica.http()).contentType(ContentType.JSON).header("X-Forwarded-For", address)
                .body(Map.of("email", AuthCluster.uniqueEmail(), "password", "correct-horse", "displayName", "Test User"))
                .post("/api/auth/register");
    }

    /** A wrong login sent from 127.0.0.2, which is not a trusted proxy, claiming to forward for {@code claimed}. */
    private static int loginFromUntrustedPeer(ServiceProcess replica, String claimed, String email) {
        byte[] body = ("{\"email\":\"" + email + "\",\"password\":\"guess\"}").getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange("127.0.0.2", replica.port(), "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nX-Forwarded-For: " + claimed + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close", body).status();
    }
}
