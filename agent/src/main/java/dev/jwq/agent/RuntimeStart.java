package dev.jwq.agent;

import dev.jwq.spi.WorkerBlocking;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Watches for the jwq runtime's first class, {@code dev.jwq.Workqueue}, and runs what only a
 * process that uses jwq needs, once, before that class is defined and so before any runtime
 * code runs: the module grants ({@link ModuleGrants}: the JDK's own lambda machinery behind
 * {@code redefineModule} costs milliseconds at start), and it hands the runtime the starter of
 * the blocking hooks, which the runtime runs only if its workers are platform threads (virtual
 * workers learn of blocking from their carriers: {@code WorkerBlocking.whenHooksNeeded}). A
 * program that never makes an executor pays for neither.
 */
final class RuntimeStart implements ClassFileTransformer {
    /** Every path into the runtime's engine loads this class first. */
    private static final String FIRST_CLASS = "dev/jwq/Workqueue";

    private final Instrumentation inst;
    private final BlockingHooks hooks; // null with hooks=false
    /**
     * Guarded by {@code this}: whether the runtime's first class was seen. A lock rather than an
     * AtomicBoolean: that class is not in the JDK's class-data archive and would bring the
     * VarHandle machinery into every premain (half a millisecond of start-up), for a check
     * made once per definition of one class.
     */
    private boolean started;

    RuntimeStart(Instrumentation inst, BlockingHooks hooks) {
        this.inst = inst;
        this.hooks = hooks;
    }

    /** Starts the hooks when the runtime asks for them: a class, as premain links no lambda. */
    private static final class StartHooks implements Runnable {
        private final BlockingHooks hooks;

        StartHooks(BlockingHooks hooks) {
            this.hooks = hooks;
        }

        @Override
        public void run() {
            try {
                hooks.start();
            } catch (Throwable t) {
                JwqAgent.warn("could not start the blocking hooks (" + t + "); the sampler alone sees blocking");
            }
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader == null && classBeingRedefined == null && FIRST_CLASS.equals(className) && firstTime()) {
            try {
                ModuleGrants.apply(inst);
                if (hooks != null) {
                    WorkerBlocking.whenHooksNeeded(new StartHooks(hooks));
                }
            } catch (Throwable t) {
                JwqAgent.warn("could not prepare the jwq runtime (" + t + "); it runs without blocking hooks");
            }
        }
        return null;
    }

    /** True the first time only: two threads may race to define the class, each calling transform. */
    private synchronized boolean firstTime() {
        boolean first = !started;
        started = true;
        return first;
    }
}
