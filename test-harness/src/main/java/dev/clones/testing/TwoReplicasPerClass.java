package dev.clones.testing;

import org.junit.jupiter.api.AfterAll;

/**
 * Base of a test class on two replicas {@code a} and {@code b} of the service under test, on a {@link TestStack} of
 * the class's own: the module's subclass starts it in its {@code @BeforeAll} and hands it to {@link #runOn}; it is
 * closed after the class's last test. The fields are static because JUnit runs these classes one at a time.
 */
public abstract class TwoReplicasPerClass {

    protected static ServiceProcess a;
    protected static ServiceProcess b;
    private static TestStack stack;

    /** The stack's first two {@link TestStack#services() services} become {@code a} and {@code b}. */
    protected static void runOn(TestStack twoReplicas) {
        stack = twoReplicas;
        a = twoReplicas.services().get(0);
        b = twoReplicas.services().get(1);
    }

    @AfterAll
    protected static void closeStack() {
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }
}
