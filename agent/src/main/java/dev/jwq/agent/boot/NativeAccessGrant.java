package dev.jwq.agent.boot;

import dev.jwq.spi.NativeAccess;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * The agent's {@link NativeAccess.Grant}: enables native access while the runtime binds its
 * native calls and takes it back after, so that the JDK (22+) prints no "restricted method"
 * warning for jwq, while the application's code keeps the JVM's own settings.
 *
 * <p>JDK 22-25 keep one native-access flag for every unnamed module ({@code Module}'s
 * {@code enableNativeAccess} of its {@code ALL_UNNAMED_MODULE}), and the runtime is in an
 * unnamed module (the bootstrap loader's): a grant that stayed would be
 * {@code --enable-native-access=ALL-UNNAMED} for the whole application. So the flag is set
 * (compare-and-set, only if off) for the milliseconds of that setup, and cleared after (only if
 * still ours to clear). It is never set when the JVM's policy is {@code deny}
 * ({@code --illegal-native-access=deny}): jwq then runs without pinning and says so. Needs
 * {@code java.lang} opened and {@code jdk.internal.module} exported to this module
 * ({@code ModuleGrants} in premain).
 *
 * <p>The JDK internals are looked up when the runtime first asks, not in premain: method
 * handles and var handles cost class loading that a program which never starts jwq should not
 * pay. If they cannot be found (another JDK), the runtime's setup meets the JDK's warning, and
 * one line of the agent's own says why and how to silence it.
 */
public final class NativeAccessGrant implements NativeAccess.Grant {
    /** The JDK internals, found once. */
    private record Internals(VarHandle flag, Module allUnnamed, MethodHandle policy) {
    }

    private Internals internals; // guarded by this; null until the first grant()
    private boolean failed;      // guarded by this: the internals could not be found (said once)

    private NativeAccessGrant() {}

    /** Installs the grant (premain, JDK 22+). */
    public static void install() {
        NativeAccess.install(new NativeAccessGrant());
    }

    private synchronized Internals internals() {
        if (internals == null && !failed) {
            try {
                MethodHandles.Lookup module = MethodHandles.privateLookupIn(Module.class, MethodHandles.lookup());
                VarHandle flag = module.findVarHandle(Module.class, "enableNativeAccess", boolean.class);
                Module allUnnamed = (Module) module.findStaticVarHandle(Module.class, "ALL_UNNAMED_MODULE", Module.class).get();
                Class<?> bootstrap = Class.forName("jdk.internal.module.ModuleBootstrap");
                Class<?> policyType = Class.forName("jdk.internal.module.ModuleBootstrap$IllegalNativeAccess");
                MethodHandle policy = MethodHandles.lookup().findStatic(bootstrap, "illegalNativeAccess",
                        MethodType.methodType(policyType));
                internals = new Internals(flag, allUnnamed, policy);
            } catch (ReflectiveOperationException | RuntimeException e) {
                failed = true;
                System.err.println("jwq-agent: cannot enable native access for jwq's CPU calls on this JDK (" + e
                        + "): the JDK warns that dev.jwq.cpu.LinuxCpu called a restricted method;"
                        + " --enable-native-access=ALL-UNNAMED silences it");
            }
        }
        return internals;
    }

    @Override
    public boolean grant() {
        Internals in = internals();
        if (in == null) {
            return false;
        }
        try {
            return ((Enum<?>) in.policy().invoke()).name().equals("WARN") && in.flag().compareAndSet(in.allUnnamed(), false, true);
        } catch (Throwable t) {
            return false;
        }
    }

    @Override
    public void revoke() {
        Internals in = internals();
        in.flag().compareAndSet(in.allUnnamed(), true, false);
    }
}
