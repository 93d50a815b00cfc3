package dev.clones.common.session;

import dev.clones.common.config.ClonesConfig;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The anti-pattern, on purpose: sessions in this replica's heap, invisible to every other
 * replica and gone when it restarts. Behind a load balancer that routes at random, users are
 * "logged out" whenever they land elsewhere. Only the local stack's demo mode uses it
 * ({@code ./stack up --stateful-demo}), to measure what statelessness buys.
 */
public final class ReplicaMemorySessionStore implements SessionStore {

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final ClonesConfig.Session config;
    private final Clock clock;

    public ReplicaMemorySessionStore(ClonesConfig config, Clock clock) {
        this.config = config.session();
        this.clock = clock;
    }

    @Override
    public Uni<NewSession> create(String userId, String email, Set<String> roles, String userAgent) {
        String token = SessionTokens.newToken();
        String handle = SessionTokens.handleOf(token);
        Instant now = clock.instant();
        String agent = userAgent == null ? "" : userAgent.substring(0, Math.min(userAgent.length(), 256));
        Session session = new Session(handle, userId, email, Set.copyOf(roles), now, now,
                now.plus(config.absoluteTimeout()), agent);
        sessions.put(handle, session);
        return Uni.createFrom().item(new NewSession(token, session));
    }

    @Override
    public Uni<Session> resolve(String token) {
        if (!SessionTokens.isWellFormed(token)) {
            return Uni.createFrom().nullItem();
        }
        Instant now = clock.instant();
        Session touched = sessions.computeIfPresent(SessionTokens.handleOf(token), (handle, s) -> expired(s, now) ? null
                : new Session(s.id(), s.userId(), s.email(), s.roles(), s.createdAt(), now, s.absoluteExpiry(), s.userAgent()));
        return Uni.createFrom().item(touched);
    }

    @Override
    public Uni<List<SessionSummary>> list(String userId) {
        Instant now = clock.instant();
        return Uni.createFrom().item(sessions.values().stream()
                .filter(s -> s.userId().equals(userId) && !expired(s, now))
                .sorted(Comparator.comparing(Session::createdAt))
                .map(s -> new SessionSummary(s.id(), s.createdAt(), s.lastSeenAt(), s.userAgent()))
                .toList());
    }

    @Override
    public Uni<Boolean> revoke(String userId, String sessionId) {
        Session s = sessions.get(sessionId);
        return Uni.createFrom().item(s != null && s.userId().equals(userId) && sessions.remove(sessionId, s));
    }

    @Override
    public Uni<Void> revokeAll(String userId) {
        sessions.values().removeIf(s -> s.userId().equals(userId));
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Set<String>> ended(Collection<String> handles) {
        Instant now = clock.instant();
        Set<String> gone = new LinkedHashSet<>();
        for (String handle : handles) {
            Session session = sessions.get(handle);
            if (session == null || expired(session, now)) {
                gone.add(handle);
            }
        }
        return Uni.createFrom().item(gone);
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.absoluteExpiry()) || !now.isBefore(s.lastSeenAt().plus(config.idleTimeout()));
    }
}
