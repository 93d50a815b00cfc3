package dev.clones.load.ledger;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything one virtual user did that the system must remember, written by that user's requests during
 * the run and read back by the invariant checker at the end. It lives in the load generator, the client
 * side, never in a service. A virtual user runs its requests one after another; the methods are
 * synchronized anyway because Gatling may run consecutive steps of one user on different threads and the
 * checker reads from yet another.
 */
public final class Shopper {

    public enum Login { LOGGED_OUT, LOGGED_IN, UNKNOWN }

    /** No avatar uploaded (a GET answers 404). */
    public static final String NO_AVATAR = "";

    private final int number;
    private final String email;
    private final String password;
    private final boolean usesCookie;

    private boolean registered;
    private String userId;
    private String sessionId;
    private Login login = Login.LOGGED_OUT;
    private final List<String> sessionsLoggedOut = new ArrayList<>();
    private int sessionLosses;
    private String firstLoss;
    private long nextSignInAtMs;

    private final CartExpectation cart = new CartExpectation();
    private String cartETag;
    private int lostCartLinesSeen;
    private int unexpectedCartLinesSeen;
    private int uncertainWrites;

    private final List<Checkout> checkouts = new ArrayList<>();
    private final List<String> reportsAccepted = new ArrayList<>();
    private int reportsUncertain;

    private Set<String> avatarCandidates = Set.of(NO_AVATAR);
    private int uploadsConfirmed;
    private int corruptUploadsSeen;

    private List<String> catalogue = List.of();

    public Shopper(int number, String email, String password, boolean usesCookie) {
        this.number = number;
        this.email = email;
        this.password = password;
        this.usesCookie = usesCookie;
    }

    public int number() { return number; }
    public String email() { return email; }
    public String password() { return password; }
    /** The name it registers with; a registration resent with the same one answers the same account. */
    public String displayName() { return "Load shopper " + number; }
    /** Half the shoppers are browsers (cookie SID), half mobile clients (Authorization: Bearer). */
    public boolean usesCookie() { return usesCookie; }

    // ---- account and session ------------------------------------------------------------------------------

    public synchronized boolean registered() { return registered; }
    public synchronized void registered(boolean registered) { this.registered = registered; }
    public synchronized String userId() { return userId; }
    public synchronized String sessionId() { return sessionId; }
    public synchronized Login login() { return login; }
    public synchronized boolean loggedIn() { return login == Login.LOGGED_IN; }

    public synchronized void loggedIn(String userId, String sessionId) {
        this.userId = userId;
        this.sessionId = sessionId;
        this.login = Login.LOGGED_IN;
    }

    /**
     * A request with the session was answered 401. Unless the shopper had logged out, that is a lost
     * session; {@code what} (request, time, replica) is kept for the first one, to find it in the logs.
     */
    public synchronized void sessionRejected(String what) {
        if (login == Login.LOGGED_IN) {
            sessionLosses++;
            if (firstLoss == null) {
                firstLoss = what;
            }
        }
        login = Login.LOGGED_OUT;
    }

    public synchronized String firstLoss() { return firstLoss; }

    /** Whether to try to register or log in now: not again right after a failure, as a person would wait. */
    public synchronized boolean maySignIn(long nowMs) { return nowMs >= nextSignInAtMs; }

    public synchronized void signInFailed(long nowMs, long waitMs) { nextSignInAtMs = nowMs + waitMs; }

    public synchronized void loggedOut() {
        if (sessionId != null) {
            sessionsLoggedOut.add(sessionId);
        }
        login = Login.LOGGED_OUT;
    }

    /** The logout's answer was lost: the session may or may not be gone, so neither outcome is held against anyone. */
    public synchronized void logoutUncertain() {
        login = Login.UNKNOWN;
    }

    public synchronized List<String> sessionsLoggedOut() { return List.copyOf(sessionsLoggedOut); }
    public synchronized int sessionLosses() { return sessionLosses; }

    // ---- cart ---------------------------------------------------------------------------------------------

    public CartExpectation cart() { return cart; }
    public synchronized String cartETag() { return cartETag; }
    public synchronized void cartETag(String etag) { this.cartETag = etag; }

    /** The server showed the cart: count what it lost compared with what the shopper put in. */
    public synchronized CartExpectation.Difference cartSeen(java.util.Map<String, Integer> server) {
        CartExpectation.Difference difference = cart.observe(server);
        lostCartLinesSeen += difference.lostLines();
        unexpectedCartLinesSeen += difference.unexpectedLines();
        return difference;
    }

    public synchronized int lostCartLinesSeen() { return lostCartLinesSeen; }
    public synchronized int unexpectedCartLinesSeen() { return unexpectedCartLinesSeen; }
    public synchronized void writeUncertain() { uncertainWrites++; }
    public synchronized int uncertainWrites() { return uncertainWrites; }

    // ---- orders, reports, uploads ---------------------------------------------------------------------------

    public synchronized void checkout(Checkout checkout) { checkouts.add(checkout); }
    public synchronized List<Checkout> checkouts() { return List.copyOf(checkouts); }

    public synchronized void reportAccepted(String id) { reportsAccepted.add(id); }
    public synchronized List<String> reportsAccepted() { return List.copyOf(reportsAccepted); }
    public synchronized void reportUncertain() { reportsUncertain++; }
    public synchronized int reportsUncertain() { return reportsUncertain; }

    public synchronized void avatarUploaded(String sha256) {
        avatarCandidates = Set.of(sha256);
        uploadsConfirmed++;
    }

    public synchronized void avatarUploadUncertain(String sha256) {
        Set<String> both = new LinkedHashSet<>(avatarCandidates);
        both.add(sha256);
        avatarCandidates = Set.copyOf(both);
    }

    /** sha256 of the avatar the server serves ({@link #NO_AVATAR} for 404): false when it is none the shopper uploaded. */
    public synchronized boolean avatarSeen(String sha256) {
        if (avatarCandidates.contains(sha256)) {
            avatarCandidates = Set.of(sha256);
            return true;
        }
        corruptUploadsSeen++;
        avatarCandidates = Set.of(sha256);
        return false;
    }

    public synchronized Set<String> avatarCandidates() { return avatarCandidates; }
    public synchronized boolean uploadedAvatar() { return uploadsConfirmed > 0 || avatarCandidates.size() > 1; }
    public synchronized int uploadsConfirmed() { return uploadsConfirmed; }
    public synchronized int corruptUploadsSeen() { return corruptUploadsSeen; }

    public synchronized List<String> catalogue() { return catalogue; }
    public synchronized void catalogue(List<String> skus) { this.catalogue = List.copyOf(skus); }
}
