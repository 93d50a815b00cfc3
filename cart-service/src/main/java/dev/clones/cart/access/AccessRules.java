package dev.clones.cart.access;

import dev.clones.common.session.CurrentSession;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Enforces {@link UserRequired} and {@link RoleRequired} after common's SessionFilter resolved the
 * session and before the body is read, so a caller without the right session learns nothing more
 * (a 401 or 403, never a 400 about a body it should not have sent).
 */
public class AccessRules {

    private final CurrentSession current;

    public AccessRules(CurrentSession current) {
        this.current = current;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public void enforce(ResourceInfo resource) {
        RoleRequired role = resource.getResourceMethod().getAnnotation(RoleRequired.class);
        if (role != null) {
            current.requireRole(role.value());
        } else if (resource.getResourceMethod().isAnnotationPresent(UserRequired.class)
                || resource.getResourceClass().isAnnotationPresent(UserRequired.class)) {
            current.require();
        }
    }
}
