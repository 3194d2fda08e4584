package dev.jwq.agent;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * What the agent lets the runtime's module do in {@code java.base}, through
 * {@link Instrumentation#redefineModule}, and to whom: only the bootstrap loader's unnamed module,
 * where the agent jar (the runtime, the agent's helpers) is; never the application's modules.
 * <ul>
 * <li>{@code java.base} reads it: the hooks put into {@code LockSupport}, {@code Thread},
 *     {@code Object} and {@code sun.nio.ch} and observe mode call the runtime's classes there;
 * <li>{@code java.lang} is opened to it: the runtime builds its workers as virtual threads on
 *     carriers of its own through the package-private
 *     {@code ThreadBuilders.VirtualThreadBuilder(Executor)} (JDK 21-25), and the agent's native
 *     access grant reaches {@code Module}'s flag;
 * <li>{@code jdk.internal.module} is exported to it: the grant asks {@code ModuleBootstrap} for
 *     the JVM's {@code --illegal-native-access} policy and never overrides {@code deny}.
 * </ul>
 */
final class ModuleGrants {
    private ModuleGrants() {}

    /** The bootstrap loader's unnamed module: this jar's classes, the runtime's among them. */
    static Module runtimeModule() {
        return ModuleGrants.class.getModule();
    }

    static void apply(Instrumentation inst) {
        Module runtime = runtimeModule();
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Set.of(runtime), Map.of("jdk.internal.module", Set.of(runtime)),
                Map.of("java.lang", Set.of(runtime)), Set.of(), Map.of());
    }
}
