package dev.jwq.spi;

import java.util.Objects;

/**
 * Lets an agent enable native access for exactly as long as the runtime binds its native calls
 * (JDK 22+: {@code dev.jwq.cpu.LinuxCpu} looks its C functions up through
 * {@code Linker.downcallHandle}, a restricted method), so that attaching the jwq agent prints no
 * JDK warning without granting native access to the application for good. Without an installed
 * grant (jwq used as a library) the setup runs as it is, under the JVM's own
 * {@code --enable-native-access} settings.
 */
public final class NativeAccess {
    /** The agent's side. */
    public interface Grant {
        /**
         * Enables native access for the runtime's classes if it is off and the JVM's policy
         * allows enabling it; returns true if it did, and then {@link #revoke()} follows.
         */
        boolean grant();

        /** Takes back what {@link #grant()} enabled. */
        void revoke();
    }

    /** The runtime's setup of its native calls. */
    public interface Setup<T> {
        T run() throws Exception;
    }

    private static volatile Grant installed; // V: set once by the agent

    private NativeAccess() {}

    /** Called once by the agent's premain; a second call throws {@link IllegalStateException}. */
    public static synchronized void install(Grant g) {
        Objects.requireNonNull(g, "grant is null");
        if (installed != null) {
            throw new IllegalStateException("a native access grant is already installed: " + installed);
        }
        installed = g;
    }

    /** Runs {@code setup} with native access granted for its duration when an agent installed a grant. */
    public static <T> T during(Setup<T> setup) throws Exception {
        Grant g = installed;
        boolean granted = g != null && g.grant();
        try {
            return setup.run();
        } finally {
            if (granted) {
                g.revoke();
            }
        }
    }
}
