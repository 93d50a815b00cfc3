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

        /**
         * How many of the most common passwords (zxcvbn's list, ranked by how often they appear in breaches, 30,000
         * at most) a registration may not use, compared without case. ASVS asks for at least the top 3,000; 10,000
         * also covers the longer ones attackers spray first, while a chosen phrase is still almost never refused.
         */
        @WithDefault("10000")
        int commonPasswordsRefused();
    }

    /**
     * Failed logins, counted in Redis within {@link #window()}: an attempt takes a slot of each counter before its
     * password is checked and gives it back when the password was right. The strict limit is per account and client
     * address, so that someone guessing at one address cannot lock the owner out elsewhere; the account-wide limit
     * is much higher, to slow a spray from many addresses; the per-address limit stops one address trying many
     * accounts. Registrations are counted per address too (each costs a bcrypt hash).
     */
    interface Throttle {
        /** Failed logins for one account from one client address before that pair answers 429. */
        @WithDefault("5")
        int maxFailuresPerAccountAndAddress();

        /** Failed logins for one account from all addresses together before it answers 429 everywhere. */
        @WithDefault("100")
        int maxFailuresPerAccount();

        /** Failed logins from one client address, whatever the accounts, before it answers 429. */
        @WithDefault("20")
        int maxFailuresPerAddress();

        @WithDefault("PT15M")
        Duration window();

        /**
         * Registrations from one client address within {@link #registrationWindow()}. A person registers once; a
         * household or office behind one address a few times. Load tests that register thousands of users from
         * one machine raise it for their stack.
         */
        @WithDefault("20")
        int maxRegistrationsPerAddress();

        @WithDefault("PT1H")
        Duration registrationWindow();
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
