package dev.clones.auth.service;

import dev.clones.auth.config.AuthConfig;
import dev.clones.auth.repository.Profile;
import dev.clones.auth.repository.User;
import dev.clones.auth.repository.UserRepository;
import dev.clones.common.error.ApiProblem;
import dev.clones.common.session.NewSession;
import dev.clones.common.session.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Registration, login and profile: everything read from and written to Redis, nothing kept here. */
@ApplicationScoped
public class AccountService {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final SessionStore sessions;
    private final CommonPasswords commonPasswords;

    private final Duration replayWindow;

    public AccountService(UserRepository users, PasswordHasher hasher, LoginThrottle throttle, SessionStore sessions,
                          CommonPasswords commonPasswords, AuthConfig config) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.sessions = sessions;
        this.commonPasswords = commonPasswords;
        this.replayWindow = config.registration().replayWindow();
    }

    /**
     * Creates the account; the same registration sent again within the replay window answers the account
     * it created (so a retry after a lost answer gets its 201), anything else with a taken email a 409. Every
     * attempt counts against the client address's registrations (each costs a bcrypt hash). One of the most common
     * passwords is refused first, like any invalid field: nothing is created and no registration is counted.
     */
    public Uni<User> register(String email, String password, String displayName, String clientAddress) {
        if (commonPasswords.isCommon(password)) {
            return Uni.createFrom().failure(ApiProblem.badRequest("password: it is one of the " + commonPasswords.size()
                    + " most common passwords, which attackers try first; choose another."));
        }
        String normalized = UserRepository.normalizeEmail(email);
        return throttle.reserveRegistration(clientAddress)
                .flatMap(ignored -> create(email, password, displayName, Set.of("user")))
                .flatMap(user -> user != null ? Uni.createFrom().item(user) : users.findByEmail(normalized)
                        .flatMap(existing -> isReplay(existing, password, displayName))
                        .map(replayed -> replayed.orElseThrow(
                                () -> ApiProblem.conflict("The email " + normalized + " is already registered."))));
    }

    /** The existing account, when the registration is a resend of the one that created it. */
    private Uni<Optional<User>> isReplay(User existing, String password, String displayName) {
        if (existing == null || !existing.displayName().equals(displayName.strip())
                || existing.createdAt().isBefore(Instant.now().minus(replayWindow))) {
            return Uni.createFrom().item(Optional.empty());
        }
        return hasher.verify(password, existing.passwordHash())
                .map(matches -> matches ? Optional.of(existing) : Optional.empty());
    }

    /** Creates the user, or answers {@code null} when the email is taken. */
    public Uni<User> create(String email, String password, String displayName, Set<String> roles) {
        String normalized = UserRepository.normalizeEmail(email);
        return hasher.hash(password)
                .map(hash -> new User(UUID.randomUUID().toString(), normalized, displayName.strip(), roles, hash, Instant.now()))
                .flatMap(user -> users.create(user).map(created -> created ? user : null));
    }

    /**
     * Unknown email and wrong password take the same path (a bcrypt check, a counted failure)
     * and give the same 401, so neither the answer nor its timing says which accounts exist.
     */
    public Uni<LoginResult> login(String email, String password, String clientAddress, String userAgent) {
        String normalized = UserRepository.normalizeEmail(email);
        return throttle.reserveLogin(normalized, clientAddress)
                .flatMap(ignored -> users.findByEmail(normalized))
                .flatMap(user -> hasher.verify(password, user == null ? null : user.passwordHash())
                        .flatMap(matches -> {
                            if (!matches) {
                                // The attempt's slots stay taken: that is what counts the failure.
                                throw new ApiProblem(401, "Unauthorized", "The email or the password is wrong.");
                            }
                            return throttle.refundLogin(normalized, clientAddress).flatMap(refunded -> succeed(user, userAgent));
                        }));
    }

    private Uni<LoginResult> succeed(User user, String userAgent) {
        return sessions.create(user.id(), user.email(), user.roles(), userAgent)
                .map(session -> new LoginResult(user, session));
    }

    public Uni<Profile> profile(String userId) {
        return users.findProfile(userId).map(AccountService::existing);
    }

    public Uni<Profile> rename(String userId, String displayName) {
        return users.updateDisplayName(userId, displayName.strip()).map(AccountService::existing);
    }

    private static Profile existing(Profile profile) {
        if (profile == null) {
            throw ApiProblem.unauthorized();
        }
        return profile;
    }

    public record LoginResult(User user, NewSession session) {
    }
}
