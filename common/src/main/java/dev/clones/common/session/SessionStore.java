package dev.clones.common.session;

import io.smallrye.mutiny.Uni;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Where sessions live. In every real deployment that is Redis ({@link RedisSessionStore});
 * {@link ReplicaMemorySessionStore} exists only to reproduce the incident this project answers.
 */
public interface SessionStore {

    Uni<NewSession> create(String userId, String email, Set<String> roles, String userAgent);

    /** The live session for a token, its idle timeout refreshed (at most once per refresh interval); {@code null} when none. */
    Uni<Session> resolve(String token);

    Uni<List<SessionSummary>> list(String userId);

    /** Deletes one of the user's sessions; {@code false} when the user has no such session. */
    Uni<Boolean> revoke(String userId, String sessionId);

    Uni<Void> revokeAll(String userId);

    /**
     * Of these session handles ({@link Session#id()}), the ones whose session is gone: logged out, revoked or
     * expired. Reads only: asking is no activity and never refreshes a session's idle timeout. For holders of
     * long-lived connections (WebSockets), which must end when their session does.
     */
    Uni<Set<String>> ended(Collection<String> handles);
}
