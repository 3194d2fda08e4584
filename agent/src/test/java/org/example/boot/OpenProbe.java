package org.example.boot;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;

/**
 * Put on the bootstrap class path by the test (alone, with -Xbootclasspath/a), so that it lives
 * in the same module as the jwq runtime under the agent: the bootstrap loader's unnamed module.
 */
public final class OpenProbe {
    private OpenProbe() {}

    /** Whether code in this class's module may open the JDK's VirtualThreadBuilder(Executor) constructor. */
    public static String reachVirtualThreadBuilder() {
        return reach();
    }

    static String reach() {
        try {
            Constructor<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(Executor.class);
            c.setAccessible(true);
            return "accessible";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "refused (" + e.getClass().getSimpleName() + ")";
        }
    }
}
