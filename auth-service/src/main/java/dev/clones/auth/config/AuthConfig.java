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

    /** An admin created at start-up when absent; every replica may try, one account results. */
    interface SeedAdmin {
        Optional<String> email();

        Optional<String> password();

        @WithDefault("Administrator")
        String displayName();
    }
}
