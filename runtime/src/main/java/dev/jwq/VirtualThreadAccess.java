package dev.jwq;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The one class that reaches into the JDK for virtual workers: virtual threads whose
 * continuations run on an {@link Executor} of ours (a worker's {@link CarriedWorker}) instead of
 * the JDK's ForkJoinPool. JDK 21-25 keep a package-private constructor
 * {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor scheduler)} for their own tests;
 * it is reachable when {@code java.lang} is open to jwq: {@code --add-opens
 * java.base/java.lang=ALL-UNNAMED} on the command line, or opened by the jwq agent at run time
 * ({@code Instrumentation.redefineModule}) to the runtime's module.
 *
 * <p>Also the one place that registers a system shutdown hook ({@link #addSystemShutdownHook}),
 * which {@link PollersAtExit} needs and which the same opening of {@code java.lang} allows.
 *
 * <p>The JDK is asked once, on first use, and the answer kept: either a constructor that works
 * or the reason why not ({@link #unavailableReason()}), never an exception, whatever the JDK
 * (a future one may drop the constructor, or run without continuation support).
 */
final class VirtualThreadAccess {
    /**
     * The type the constructor is called with. Method handles rather than {@code
     * Constructor.newInstance} and {@code Method.invoke}, whose first calls spin the JDK's
     * reflection adapters: the probe and the default scheduler's lookup took 2.4-3.2 ms against
     * 0.2-0.4 ms (a harness on JDK 25, three runs each; the whole {@link #available()} 5.5 -> 3.8
     * ms), and a builder's second construction 6-8 against 2 us.
     */
    static final MethodType NEW_BUILDER = MethodType.methodType(Object.class, Executor.class);

    /** The JDK class whose constructor we need. */
    static final String BUILDER_CLASS = "java.lang.ThreadBuilders$VirtualThreadBuilder";

    /** How the constructor is found: the JDK's by default, another in tests (a JDK without it). */
    @FunctionalInterface
    interface ConstructorLookup {
        Constructor<?> find() throws ReflectiveOperationException;
    }

    /**
     * The JDK's own constructor, {@code VirtualThreadBuilder(Executor)}. This class and
     * {@link Inline} are classes, not lambdas: a lambda is a class spun at run time, and the first
     * workqueue's path spins none of jwq's (bench/README "Load cost").
     */
    static final ConstructorLookup JDK = new JdkLookup();

    private static final class JdkLookup implements ConstructorLookup {
        @Override
        public Constructor<?> find() throws ReflectiveOperationException {
            return Class.forName(BUILDER_CLASS).getDeclaredConstructor(Executor.class);
        }
    }

    /** The probe's scheduler: it builds a builder and no thread, so nothing ever runs here. */
    private static final class Inline implements Executor {
        @Override
        public void execute(Runnable task) {
            task.run();
        }
    }

    /**
     * The outcome of one probe: a usable constructor, or null and the reason.
     *
     * @param constructor {@code VirtualThreadBuilder(Executor)} as a method handle of type
     *        {@link #NEW_BUILDER}, or null
     * @param unavailableReason why virtual workers cannot be built here, or null when they can
     */
    record Probe(MethodHandle constructor, String unavailableReason) {
        boolean available() {
            return constructor != null;
        }

        /**
         * A builder of virtual threads whose continuations {@code scheduler} runs.
         *
         * @throws UnsupportedOperationException with the reason, when unavailable
         */
        Thread.Builder.OfVirtual builder(Executor scheduler) {
            Objects.requireNonNull(scheduler, "scheduler");
            if (constructor == null) {
                throw new UnsupportedOperationException(unavailableReason);
            }
            try {
                return (Thread.Builder.OfVirtual) (Object) constructor.invokeExact(scheduler);
            } catch (VirtualMachineError e) {
                throw e; // out of memory: the caller's to handle, as from any allocation
            } catch (Throwable e) {
                throw new UnsupportedOperationException("jwq: cannot build a virtual worker: " + e, e);
            }
        }
    }

    private static final class Holder {
        static final Probe PROBE = probe(JDK);
        static final Executor DEFAULT_SCHEDULER = findDefaultScheduler();
    }

    private VirtualThreadAccess() {}

    /** Whether this JVM lets jwq build virtual threads on its own carriers. */
    static boolean available() {
        return Holder.PROBE.available();
    }

    /** Why virtual workers cannot be built in this JVM, or null when they can. */
    static String unavailableReason() {
        return Holder.PROBE.unavailableReason();
    }

    /**
     * A builder of virtual threads whose continuations are handed to {@code scheduler} (on start,
     * on every unpark, after {@code Thread.yield}).
     *
     * @throws UnsupportedOperationException with {@link #unavailableReason()} when unavailable
     */
    static Thread.Builder.OfVirtual builder(Executor scheduler) {
        return Holder.PROBE.builder(scheduler);
    }

    /**
     * The JDK's own scheduler of virtual threads ({@code VirtualThread.defaultScheduler()}), for
     * the continuations of virtual threads that code running on a virtual worker creates: the JDK
     * gives a new virtual thread its creator's scheduler, which would put them (the JDK's socket
     * pollers among them) on jwq's carriers. Where the JDK has no such method, the common
     * ForkJoinPool, whose platform threads can run any continuation.
     */
    static Executor defaultScheduler() {
        return Holder.DEFAULT_SCHEDULER;
    }

    private static Executor findDefaultScheduler() {
        try {
            java.lang.reflect.Method m = Class.forName("java.lang.VirtualThread").getDeclaredMethod("defaultScheduler");
            m.setAccessible(true);
            if ((Object) MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class)).invokeExact()
                    instanceof Executor e) {
                return e;
            }
        } catch (Throwable e) {
            // a JDK without it, or java.lang not open (then no virtual worker exists either)
        }
        return java.util.concurrent.ForkJoinPool.commonPool();
    }

    /**
     * The platform thread the calling virtual thread runs on ({@code Thread.currentCarrierThread()},
     * which the JIT compiles to a load), or null where that method cannot be reached ({@code
     * java.lang} not open to jwq, where no virtual worker exists either, or a JDK without it).
     * For {@link Worker#current()} on a virtual worker: the carrier says which worker it runs,
     * where a thread-local lookup cost a tenth of a per-CPU chain step.
     */
    static Thread currentCarrier() {
        MethodHandle mh = CarrierLookup.CURRENT_CARRIER;
        if (mh == null) {
            return null;
        }
        try {
            return (Thread) mh.invokeExact();
        } catch (Throwable e) {
            return null;
        }
    }

    /** Looked up on first use: a constant to the JIT once initialised. */
    private static final class CarrierLookup {
        static final MethodHandle CURRENT_CARRIER = findStaticOfThread("currentCarrierThread");
    }

    /** A static method of {@code java.lang.Thread} of type {@code ()Thread}, or null if it cannot be reached. */
    static MethodHandle findStaticOfThread(String name) {
        try {
            return MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findStatic(Thread.class, name, MethodType.methodType(Thread.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // IllegalAccessException: java.lang not open; NoSuchMethodException: another JDK
        }
    }

    /**
     * {@code java.lang.Shutdown.add(slot, true, hook)}, called while the application's shutdown
     * hooks run (slot 1): a system hook, run by the exiting thread once they have all ended and
     * delete-on-exit (slot 2) has run. Returns false, never throws, where that is refused
     * ({@code java.lang} not open to jwq), the slot is taken or does not exist, or the shutdown
     * is past the slot. Reached through a method handle, which spins fewer of the JDK's classes
     * than {@code Method.invoke}; still milliseconds, so it is done at exit, not at start-up.
     */
    static boolean addSystemShutdownHook(int slot, Runnable hook) {
        try {
            MethodHandles.Lookup shutdown = MethodHandles.privateLookupIn(Class.forName("java.lang.Shutdown"),
                    MethodHandles.lookup());
            MethodHandle add = shutdown.findStatic(shutdown.lookupClass(), "add",
                    MethodType.methodType(void.class, int.class, boolean.class, Runnable.class));
            add.invokeExact(slot, true, hook);
            return true;
        } catch (Throwable e) {
            // IllegalAccessException (java.lang not open), InternalError (slot taken),
            // IllegalStateException (past the slot), IllegalArgumentException (no such slot)
            return false;
        }
    }

    /** An unstarted virtual thread named {@code name} that runs {@code task}, scheduled by {@code scheduler}. */
    static Thread unstarted(Executor scheduler, String name, Runnable task) {
        return builder(scheduler).name(name).inheritInheritableThreadLocals(false).unstarted(task);
    }

    /**
     * Asks the JDK, through {@code lookup}, for the constructor, makes it accessible and tries it
     * once (it refuses when the VM has no continuations). Never throws.
     */
    static Probe probe(ConstructorLookup lookup) {
        String module = moduleName();
        Constructor<?> c;
        try {
            c = lookup.find();
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return new Probe(null, "jwq: this JDK (" + Runtime.version() + ") has no " + BUILDER_CLASS
                    + "(Executor), which virtual workers need (JDK 21-25 have it): " + e);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new Probe(null, "jwq: cannot look up " + BUILDER_CLASS + "(Executor): " + e);
        }
        MethodHandle mh;
        try {
            c.setAccessible(true);
            mh = MethodHandles.lookup().unreflectConstructor(c).asType(NEW_BUILDER);
        } catch (RuntimeException | IllegalAccessException e) { // InaccessibleObjectException, SecurityException
            return new Probe(null, "jwq: java.lang is not open to " + module + ", so virtual workers cannot be "
                    + "built: run with --add-opens java.base/java.lang=" + module + " (or attach the jwq agent, "
                    + "which opens it): " + e.getMessage());
        }
        try {
            Object b = (Object) mh.invokeExact((Executor) new Inline());
            if (!(b instanceof Thread.Builder.OfVirtual)) {
                return new Probe(null, "jwq: " + BUILDER_CLASS + "(Executor) built a " + b.getClass().getName()
                        + ", not a Thread.Builder.OfVirtual");
            }
        } catch (Throwable e) {
            // UnsupportedOperationException when the VM runs without continuations.
            return new Probe(null, "jwq: this JVM cannot build virtual threads with a custom scheduler: " + e);
        }
        return new Probe(mh, null);
    }

    /** The module to open {@code java.lang} to, as {@code --add-opens} spells it. */
    private static String moduleName() {
        Module m = VirtualThreadAccess.class.getModule();
        return m.isNamed() ? m.getName() : "ALL-UNNAMED";
    }
}
