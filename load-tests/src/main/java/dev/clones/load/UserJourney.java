package dev.clones.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.clones.load.check.ApiReadBack;
import dev.clones.load.client.ApiCall;
import dev.clones.load.client.Calls;
import dev.clones.load.client.Outcome;
import dev.clones.load.client.RandomPng;
import dev.clones.load.ledger.CartChange;
import dev.clones.load.ledger.Checkout;
import dev.clones.load.ledger.Ledger;
import dev.clones.load.ledger.Shopper;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;

import static dev.clones.load.client.Calls.shopper;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.flushCookieJar;

/**
 * What one virtual user does, as Gatling chains: sign up and log in once, then, until the run ends, browse
 * the catalogue, change the cart, read it, and now and then check out, ask for a report, change the avatar
 * or log out. Every answer that changes what the system must remember is written to the user's
 * {@link Shopper} ledger, which the invariant checker compares with the API after the run.
 */
final class UserJourney {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_QUANTITY = 99;
    /** After a failed sign-up or login a person waits a little before trying again; so do the users. */
    private static final long SIGN_IN_WAIT_MS = 5_000;

    // Per-iteration decisions and the values one step hands to the next.
    private static final String CHECKOUT = "do.checkout";
    private static final String REPORT = "do.report";
    private static final String AVATAR = "do.avatar";
    private static final String LOGOUT = "do.logout";
    private static final String REFRESH_CART = "cart.refresh";
    private static final String ADD = "cart.add";
    private static final String SET = "cart.set";
    private static final String SKU = "product.sku";
    private static final String KEY = "idempotency.key";
    private static final String REPORT_ID = "report.id";
    private static final String REPORT_STATUS = "report.status";
    private static final String REPORT_URL = "report.url";
    private static final String REPORT_DEADLINE = "report.deadline";
    private static final String REPORT_BODY = "report.body";
    private static final String PNG = "avatar.png";

    private final LoadParameters parameters;
    private final Ledger ledger;
    /** Calls without a session: sign-up and login themselves. */
    private final Calls anonymous;
    /** Calls that log the shopper in first when they are not (anymore). */
    private final Calls calls;

    UserJourney(LoadParameters parameters, Ledger ledger, Calls calls) {
        this.parameters = parameters;
        this.ledger = ledger;
        this.anonymous = calls;
        this.calls = calls.signingInWith(signIn());
    }

    /**
     * The whole life of one virtual user. It starts no iteration after {@code endAtMs} but finishes the one
     * it is in: stopping in the middle could cut a checkout off from its ledger entry.
     */
    ChainBuilder life(LongSupplier endAtMs) {
        return exec(s -> s.set(Calls.SHOPPER,
                        ledger.arrive(ThreadLocalRandom.current().nextDouble() < parameters.registerShare())))
                .exec(signIn())
                .asLongAs(s -> System.currentTimeMillis() < endAtMs.getAsLong()).on(iteration());
    }

    // ---- account and session ----------------------------------------------------------------------------

    /** Registers if the account is not known to exist, then logs in if the shopper is not logged in. */
    ChainBuilder signIn() {
        return doIf(s -> !shopper(s).registered() && shopper(s).maySignIn(System.currentTimeMillis()))
                .then(anonymous.run(register()))
                .doIf(s -> shopper(s).registered() && !shopper(s).loggedIn() && shopper(s).maySignIn(System.currentTimeMillis())).then(
                        anonymous.run(login()),
                        // Mobile clients send the bearer header; Gatling's jar must not add the cookie as well.
                        doIf(s -> !shopper(s).usesCookie()).then(exec(flushCookieJar())));
    }

    private ApiCall register() {
        return ApiCall.of("POST", "/api/auth/register")
                .json(s -> JSON.createObjectNode().put("email", shopper(s).email()).put("password", shopper(s).password())
                        .put("displayName", shopper(s).displayName()).toString())
                .idempotentWithoutKey()
                .expect(201)
                .then((s, outcome) -> {
                    // A 409 (counted as failed: a resent registration answers 201) still means the account exists.
                    if (outcome.status() == 201 || outcome.status() == 409) {
                        shopper(s).registered(true);
                    } else {
                        shopper(s).signInFailed(System.currentTimeMillis(), SIGN_IN_WAIT_MS);
                    }
                    return s;
                });
    }

    private ApiCall login() {
        return ApiCall.of("POST", "/api/auth/login")
                .json(s -> JSON.createObjectNode().put("email", shopper(s).email()).put("password", shopper(s).password()).toString())
                .then((s, outcome) -> {
                    if (outcome.status() == 200) {
                        JsonNode body = json(outcome);
                        shopper(s).loggedIn(body.path("user").path("id").asText(), body.path("sessionId").asText());
                    } else {
                        if (outcome.status() == 401) {
                            // The registration may never have happened (its answer was lost): register again.
                            shopper(s).registered(false);
                        }
                        shopper(s).signInFailed(System.currentTimeMillis(), SIGN_IN_WAIT_MS);
                    }
                    return s;
                });
    }

    // ---- one iteration ------------------------------------------------------------------------------------

    private ChainBuilder iteration() {
        return exec(this::decide)
                .exec(think(), calls.run(me()))
                .exec(think(), calls.run(products()))
                .doIf(s -> !shopper(s).catalogue().isEmpty()).then(
                        think(), exec(this::pickProduct), calls.run(productDetail()),
                        think(), exec(this::chooseAdd))
                .doIf(s -> s.contains(ADD)).then(calls.run(addLine()), refreshIfInDoubt())
                .doIf(s -> !shopper(s).cart().skus().isEmpty()).then(
                        think(), exec(this::chooseChange), calls.run(changeLine()), refreshIfInDoubt())
                .exec(think(), calls.run(readCart()))
                .doIf(s -> s.getBoolean(CHECKOUT) && shopper(s).cart().certainlyNonEmpty()).then(
                        think(), exec(UserJourney::newKey), calls.run(checkout()), refreshIfInDoubt(),
                        think(), calls.run(orders()))
                .doIf(s -> s.getBoolean(REPORT)).then(think(), report())
                .doIf(s -> s.getBoolean(AVATAR)).then(think(), avatar())
                .doIf(s -> s.getBoolean(LOGOUT)).then(think(), calls.run(logout()));
    }

    private Session decide(Session s) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return s.set(CHECKOUT, random.nextDouble() < parameters.checkoutChance())
                .set(REPORT, random.nextDouble() < parameters.reportChance())
                .set(AVATAR, random.nextDouble() < parameters.avatarChance())
                .set(LOGOUT, random.nextDouble() < parameters.logoutChance())
                .set(REFRESH_CART, false)
                .remove(ADD);
    }

    /** Uniform between half and one and a half think times: users do not click in step. */
    private ChainBuilder think() {
        long thinkMs = Math.round(parameters.thinkSeconds() * 1000);
        return pause(s -> Duration.ofMillis(thinkMs / 2 + ThreadLocalRandom.current().nextLong(thinkMs + 1)));
    }

    private ApiCall me() {
        return ApiCall.of("GET", "/api/auth/me").signedIn();
    }

    private ApiCall products() {
        return ApiCall.of("GET", "/api/products").then((s, outcome) -> {
            if (outcome.status() == 200) {
                List<String> skus = new ArrayList<>();
                json(outcome).forEach(product -> skus.add(product.path("sku").asText()));
                shopper(s).catalogue(skus);
            }
            return s;
        });
    }

    private Session pickProduct(Session s) {
        List<String> catalogue = shopper(s).catalogue();
        return s.set(SKU, catalogue.get(ThreadLocalRandom.current().nextInt(catalogue.size())));
    }

    private ApiCall productDetail() {
        return ApiCall.of("GET /api/products/{sku}", "GET", s -> "/api/products/" + s.getString(SKU));
    }

    // ---- cart -------------------------------------------------------------------------------------------

    private Session chooseAdd(Session s) {
        String sku = s.getString(SKU);
        int room = MAX_QUANTITY - shopper(s).cart().maxQuantity(sku);
        int quantity = Math.min(room, 1 + ThreadLocalRandom.current().nextInt(3));
        // A full line (99, the server's limit) gets nothing more: the server would refuse it with 422.
        return quantity <= 0 ? s.remove(ADD) : s.set(ADD, new CartChange.Add(sku, quantity));
    }

    private ApiCall addLine() {
        return cartChange(ApiCall.of("POST", "/api/cart/items"), ADD)
                .json(s -> {
                    CartChange.Add add = s.get(ADD);
                    return JSON.createObjectNode().put("sku", add.sku()).put("quantity", add.quantity()).toString();
                });
    }

    private Session chooseChange(Session s) {
        List<String> skus = shopper(s).cart().skus();
        String sku = skus.get(ThreadLocalRandom.current().nextInt(skus.size()));
        return s.set(SET, new CartChange.SetQuantity(sku, ThreadLocalRandom.current().nextInt(6)));
    }

    /** PUT with If-Match: the change applies to the cart version the shopper last saw, or not at all (412). */
    private ApiCall changeLine() {
        return cartChange(ApiCall.of("PUT /api/cart/items/{sku}", "PUT",
                s -> "/api/cart/items/" + s.<CartChange.SetQuantity>get(SET).sku()), SET)
                .headers(s -> shopper(s).cartETag() == null ? Map.of() : Map.of("If-Match", shopper(s).cartETag()))
                .json(s -> JSON.createObjectNode().put("quantity", s.<CartChange.SetQuantity>get(SET).quantity()).toString());
    }

    /** A cart change: the answer is the new cart, which must be the expected cart with the change applied. */
    private ApiCall cartChange(ApiCall call, String changeAttribute) {
        return call.signedIn().then((s, outcome) -> {
            Shopper shopper = shopper(s);
            CartChange change = s.get(changeAttribute);
            if (outcome.status() == 200) {
                if (change != null) {
                    shopper.cart().applied(change);
                }
                shopper.cartETag(outcome.etag());
                shopper.cartSeen(cartLines(outcome));
            } else if (outcome.inDoubt()) {
                if (change != null) {
                    shopper.cart().uncertain(change);
                }
                shopper.writeUncertain();
                return s.set(REFRESH_CART, true);
            } else if (outcome.status() == 412) {
                return s.set(REFRESH_CART, true);
            }
            return s;
        });
    }

    private ApiCall readCart() {
        return ApiCall.of("GET", "/api/cart").signedIn().then((s, outcome) -> {
            if (outcome.status() == 200) {
                shopper(s).cartETag(outcome.etag());
                shopper(s).cartSeen(cartLines(outcome));
            }
            return s.set(REFRESH_CART, false);
        });
    }

    /** After a change whose answer was lost a client reloads the cart; that read settles what happened. */
    private ChainBuilder refreshIfInDoubt() {
        return doIf(s -> s.getBoolean(REFRESH_CART)).then(calls.run(readCart()));
    }

    // ---- checkout -----------------------------------------------------------------------------------------

    private static Session newKey(Session s) {
        return s.set(KEY, "load-" + UUID.randomUUID());
    }

    private static Map<String, String> idempotencyKey(Session s) {
        return Map.of("Idempotency-Key", s.getString(KEY));
    }

    private ApiCall checkout() {
        return ApiCall.of("POST", "/api/cart/checkout").signedIn()
                .headers(UserJourney::idempotencyKey)
                .expect(201)
                .then((s, outcome) -> {
                    Shopper shopper = shopper(s);
                    String key = s.getString(KEY);
                    if (outcome.status() == 201) {
                        shopper.checkout(new Checkout(key, json(outcome).path("id").asText()));
                        shopper.cart().applied(new CartChange.Clear());
                    } else if (outcome.status() == 409) {
                        // The server says the cart is empty although the shopper filled it.
                        shopper.cartSeen(Map.of());
                    } else if (outcome.inDoubt() || outcome.status() == 422) {
                        shopper.checkout(new Checkout(key, null));
                        shopper.cart().uncertain(new CartChange.Clear());
                        shopper.writeUncertain();
                        return s.set(REFRESH_CART, true);
                    }
                    return s;
                });
    }

    private ApiCall orders() {
        return ApiCall.of("GET", "/api/orders").signedIn();
    }

    // ---- reports ------------------------------------------------------------------------------------------

    /** Ask for a report, poll it every 2 s until it is done (at most reportWait seconds), then download it. */
    private ChainBuilder report() {
        return exec(s -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String body = JSON.createObjectNode().put("type", random.nextBoolean() ? "orders" : "cart")
                    .put("format", random.nextInt(4) == 0 ? "pdf" : "csv").toString();
            return newKey(s).set(REPORT_BODY, body).remove(REPORT_ID).set(REPORT_STATUS, "none")
                    .remove(REPORT_URL).set(REPORT_DEADLINE, System.currentTimeMillis() + parameters.reportWaitSeconds() * 1000L);
        })
                .exec(calls.run(requestReport()))
                .asLongAs(s -> s.contains(REPORT_ID) && isPending(s.getString(REPORT_STATUS))
                        && System.currentTimeMillis() < s.getLong(REPORT_DEADLINE)).on(
                        pause(Duration.ofSeconds(2)),
                        calls.run(pollReport()))
                .doIf(s -> s.contains(REPORT_URL)).then(calls.run(downloadReport()));
    }

    private static boolean isPending(String status) {
        return ReportStatuses.UNFINISHED.contains(status);
    }

    private ApiCall requestReport() {
        return ApiCall.of("POST", "/api/reports").signedIn()
                .headers(UserJourney::idempotencyKey)
                .json(s -> s.getString(REPORT_BODY))
                .expect(202)
                .then((s, outcome) -> {
                    if (outcome.status() == 202) {
                        JsonNode body = json(outcome);
                        shopper(s).reportAccepted(body.path("id").asText());
                        return s.set(REPORT_ID, body.path("id").asText()).set(REPORT_STATUS, body.path("status").asText());
                    }
                    if (outcome.inDoubt()) {
                        shopper(s).reportUncertain();
                    }
                    return s;
                });
    }

    private ApiCall pollReport() {
        return ApiCall.of("GET /api/reports/{id}", "GET", s -> "/api/reports/" + s.getString(REPORT_ID)).signedIn()
                .then((s, outcome) -> {
                    if (outcome.status() != 200) {
                        return s;
                    }
                    JsonNode body = json(outcome);
                    Session next = s.set(REPORT_STATUS, body.path("status").asText());
                    String url = body.path("downloadUrl").asText("");
                    return url.isEmpty() ? next : next.set(REPORT_URL, url);
                });
    }

    /** The signed object-storage URL: no session goes with it. */
    private ApiCall downloadReport() {
        return ApiCall.of("GET {report downloadUrl}", "GET", s -> s.getString(REPORT_URL));
    }

    // ---- avatar -------------------------------------------------------------------------------------------

    private ChainBuilder avatar() {
        return exec(s -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            return s.set(PNG, RandomPng.of(8 + random.nextInt(24), 8 + random.nextInt(24)));
        })
                .exec(calls.run(uploadAvatar()))
                .doIf(s -> shopper(s).userId() != null).then(think(), calls.run(viewAvatar()));
    }

    private ApiCall uploadAvatar() {
        return ApiCall.of("PUT", "/api/media/avatar").signedIn()
                .bytes("image/png", s -> s.get(PNG))
                .then((s, outcome) -> {
                    String sha256 = ApiReadBack.sha256(s.get(PNG));
                    if (outcome.status() == 200) {
                        shopper(s).avatarUploaded(sha256);
                    } else if (outcome.inDoubt()) {
                        shopper(s).avatarUploadUncertain(sha256);
                        shopper(s).writeUncertain();
                    }
                    return s.remove(PNG);
                });
    }

    /** Anyone may fetch an avatar: no session; Gatling follows the 302 to object storage. */
    private ApiCall viewAvatar() {
        Function<Session, String> url = s -> "/api/media/avatar/" + shopper(s).userId();
        return ApiCall.of("GET /api/media/avatar/{userId}", "GET", url)
                .keepingBytes()
                .expect(200, 404)
                .then((s, outcome) -> {
                    if (outcome.status() == 200 && outcome.bytes() != null) {
                        shopper(s).avatarSeen(ApiReadBack.sha256(outcome.bytes()));
                    } else if (outcome.status() == 404 && shopper(s).uploadedAvatar()) {
                        shopper(s).avatarSeen(Shopper.NO_AVATAR);
                    }
                    return s;
                });
    }

    // ---- logout -------------------------------------------------------------------------------------------

    private ApiCall logout() {
        return ApiCall.of("POST", "/api/auth/logout").signedIn().endingSession().expect(204).then((s, outcome) -> {
            // 401: the session is gone already, as the shopper wanted (a retry by the load balancer of a
            // logout that had worked answers so).
            if (outcome.status() == 204 || outcome.status() == 401) {
                shopper(s).loggedOut();
            } else if (outcome.inDoubt()) {
                shopper(s).logoutUncertain();
            }
            return s;
        });
    }

    // ---- answers ------------------------------------------------------------------------------------------

    /** The answer as JSON; a missing node when it is not JSON, so that a garbled answer changes nothing. */
    private static JsonNode json(Outcome outcome) {
        try {
            return outcome.body() == null ? MissingNode.getInstance() : JSON.readTree(outcome.body());
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static Map<String, Integer> cartLines(Outcome outcome) {
        return ApiReadBack.cartLines(json(outcome));
    }
}
