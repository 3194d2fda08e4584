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
 */
public final class NativeAccessGrant implements NativeAccess.Grant {
    private final VarHandle flag;        // Module.enableNativeAccess
    private final Module allUnnamed;     // Module.ALL_UNNAMED_MODULE
    private final MethodHandle policy;   // ModuleBootstrap.illegalNativeAccess(), an enum

    private NativeAccessGrant(VarHandle flag, Module allUnnamed, MethodHandle policy) {
        this.flag = flag;
        this.allUnnamed = allUnnamed;
        this.policy = policy;
    }

    /**
     * Installs the grant. Returns null, or why it could not (this JDK's internals differ): the
     * runtime's setup then meets the JDK's warning, and premain says why in one line.
     */
    public static String install() {
        try {
            MethodHandles.Lookup module = MethodHandles.privateLookupIn(Module.class, MethodHandles.lookup());
            VarHandle flag = module.findVarHandle(Module.class, "enableNativeAccess", boolean.class);
            Module allUnnamed = (Module) module.findStaticVarHandle(Module.class, "ALL_UNNAMED_MODULE", Module.class).get();
            Class<?> bootstrap = Class.forName("jdk.internal.module.ModuleBootstrap");
            Class<?> policyType = Class.forName("jdk.internal.module.ModuleBootstrap$IllegalNativeAccess");
            MethodHandle policy = MethodHandles.lookup().findStatic(bootstrap, "illegalNativeAccess",
                    MethodType.methodType(policyType));
            NativeAccess.install(new NativeAccessGrant(flag, allUnnamed, policy));
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return e.toString();
        }
    }

    @Override
    public boolean grant() {
        try {
            String p = ((Enum<?>) policy.invoke()).name();
            return p.equals("WARN") && flag.compareAndSet(allUnnamed, false, true);
        } catch (Throwable t) {
            return false;
        }
    }

    @Override
    public void revoke() {
        flag.compareAndSet(allUnnamed, true, false);
    }
}
