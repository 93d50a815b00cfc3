package dev.clones.auth.rest;

import dev.clones.auth.repository.User;

import java.util.Set;

/** What a client may see of a user: never the password hash. */
public record UserView(String id, String email, String displayName, Set<String> roles) {

    static UserView of(User user) {
        return new UserView(user.id(), user.email(), user.displayName(), user.roles());
    }
}
