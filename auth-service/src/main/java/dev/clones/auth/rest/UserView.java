package dev.clones.auth.rest;

import dev.clones.auth.repository.Profile;
import dev.clones.auth.repository.User;

import java.util.Set;

/** What a client may see of a user: never the password hash. */
public record UserView(String id, String email, String displayName, Set<String> roles) {

    static UserView of(User user) {
        return of(Profile.of(user));
    }

    static UserView of(Profile profile) {
        return new UserView(profile.id(), profile.email(), profile.displayName(), profile.roles());
    }
}
