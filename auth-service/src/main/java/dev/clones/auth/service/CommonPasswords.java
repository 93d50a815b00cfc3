package dev.clones.auth.service;

import com.nulabinc.zxcvbn.StandardDictionaries;
import dev.clones.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The passwords a new account may not have: the most common ones, which a credential-stuffing or spraying attacker
 * tries first. The list is zxcvbn's (zxcvbn4j), ranked by how often each appears in breach corpora; the top
 * {@code auth.password.common-passwords-refused} are refused, compared without case (the list is lower case, and
 * "Password1" falls as fast as "password1"). Read once at start-up: it is the same on every replica.
 */
@ApplicationScoped
public class CommonPasswords {

    private final Set<String> refused;

    @Inject
    public CommonPasswords(AuthConfig config) {
        this(config.password().commonPasswordsRefused());
    }

    /** The top {@code count} of the list; for tests, which need no configuration. */
    CommonPasswords(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("auth.password.common-passwords-refused must be 0 or more, not " + count);
        }
        List<String> ranked;
        try {
            ranked = StandardDictionaries.PASSWORDS_LOADER.load().getFrequencies();
        } catch (IOException e) {
            throw new UncheckedIOException("zxcvbn's password list is missing from the class path", e);
        }
        this.refused = Set.copyOf(new HashSet<>(ranked.subList(0, Math.min(count, ranked.size()))));
    }

    /** How many passwords are refused (the configured count, or the whole list when that is shorter). */
    public int size() {
        return refused.size();
    }

    public boolean isCommon(String password) {
        return refused.contains(password.toLowerCase(Locale.ROOT));
    }
}
