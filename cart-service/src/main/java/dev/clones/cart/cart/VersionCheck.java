package dev.clones.cart.cart;

import java.util.Collection;
import java.util.stream.Collectors;

/** The cart versions a change is conditional on (If-Match), checked inside the same Lua script as the change. */
public record VersionCheck(String scriptArgument) {

    /** No condition. */
    public static final VersionCheck ANY = new VersionCheck("");

    /** The change applies only at one of these versions; none at all never matches. */
    public static VersionCheck oneOf(Collection<Long> versions) {
        return new VersionCheck(versions.isEmpty() ? "none"
                : versions.stream().map(String::valueOf).collect(Collectors.joining(" ")));
    }
}
