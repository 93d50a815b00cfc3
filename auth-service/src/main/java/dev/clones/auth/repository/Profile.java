package dev.clones.auth.repository;

import java.time.Instant;
import java.util.Set;

/** What a user's own requests read of the account: everything but the password hash, which no cache holds. */
public record Profile(String id, String email, String displayName, Set<String> roles, Instant createdAt) {

    public static Profile of(User user) {
        return new Profile(user.id(), user.email(), user.displayName(), user.roles(), user.createdAt());
    }
}
