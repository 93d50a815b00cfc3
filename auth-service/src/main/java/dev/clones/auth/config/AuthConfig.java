package dev.clones.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "auth")
public interface AuthConfig {

    Password password();

    Throttle throttle();

    SeedAdmin seedAdmin();

    Registration registration();

    interface Password {
        /** bcrypt work factor: each step doubles the time a login (and an attacker's guess) costs. */
        @WithDefault("10")
        int bcryptCost();
    }

    interface Throttle {
        /** Failed logins for one account within the window before it answers 429. */
        @WithDefault("5")
        int maxFailuresPerAccount();

        /** Failed logins from one client address within the window before it answers 429. */
        @WithDefault("20")
        int maxFailuresPerAddress();

        @WithDefault("PT15M")
        Duration window();
    }

    interface Registration {
        /**
         * A registration sent again with the same email, password and display name within this time
         * after the account was created answers the same 201 instead of 409: a client whose first
         * answer was lost (a cut connection, a killed replica) cannot tell it was created, and retrying
         * a POST must not turn success into a conflict. Long enough for a client's retries and a person
         * pressing the button again; short, because after it an email is plainly taken. The password
         * is checked with bcrypt, so the answer tells nothing a login would not.
         */
        @WithDefault("PT10M")
        Duration replayWindow();
    }

    /** An admin created at start-up when absent; every replica may try, one account results. */
    interface SeedAdmin {
        Optional<String> email();

        Optional<String> password();

        @WithDefault("Administrator")
        String displayName();
    }
}
