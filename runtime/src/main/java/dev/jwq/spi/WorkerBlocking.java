package dev.jwq.spi;

import java.util.Objects;

/**
 * The sleeping/running SPI of concurrency management ({@code wq_worker_sleeping} /
 * {@code wq_worker_running}): code that learns a thread is about to block calls
 * {@link #sleeping()} before and {@link #running(boolean)} after. The jwq agent calls it from
 * its advice on the JDK's blocking primitives ({@code LockSupport.park*}, {@code Thread.sleep},
 * {@code Object.wait}, ...).
 *
 * <p>Off a jwq worker, and on a worker outside a work item's function (inside jwq's own
 * machinery), both calls do nothing beyond a type check. Nested calls are safe: only the
 * outermost blocking call of an item counts, and a blocking call made by jwq itself while it
 * records the transition (taking the pool lock) is ignored. Neither method throws.
 *
 * <pre>{@code
 * boolean slept = WorkerBlocking.sleeping();
 * try { LockSupport.park(); } finally { WorkerBlocking.running(slept); }
 * }</pre>
 *
 * <p>This is a service-provider interface for agents and blocking libraries, not for
 * applications: application code uses {@code Workqueues.blocking(...)}.
 */
public final class WorkerBlocking {
    /** The runtime's side of the SPI; installed once by the jwq runtime. */
    public interface Handler {
        /** The caller is about to block; returns true if that was recorded. */
        boolean sleeping();

        /** The caller, for which {@link #sleeping()} returned true, runs again. */
        void running();
    }

    private static volatile Handler handler; // V: set once by the runtime
    private static Runnable hookStarter;      // the class monitor: what starts the agent's hooks, until run
    private static boolean starterGiven;      // the class monitor: whenHooksNeeded was called
    private static boolean hooksNeeded;       // the class monitor: the runtime's workers are platform threads

    private WorkerBlocking() {}

    /**
     * The calling thread is about to block. Returns true if it is a jwq worker running an item
     * and now no longer counts as running; pass the result to {@link #running(boolean)}.
     */
    public static boolean sleeping() {
        Handler h = handler;
        if (h == null) {
            return false;
        }
        try {
            return h.sleeping();
        } catch (Throwable t) {
            return false; // never throw into the blocking caller
        }
    }

    /** The calling thread runs again; {@code slept} is what {@link #sleeping()} returned. */
    public static void running(boolean slept) {
        Handler h = handler;
        if (!slept || h == null) {
            return;
        }
        try {
            h.running();
        } catch (Throwable t) {
            // never throw into the blocking caller
        }
    }

    /**
     * Runs {@code start} once the runtime says its workers need blocking hooks
     * ({@link #hooksNeeded()}), at once if it has already said so, else never. For the agent:
     * virtual workers learn of blocking from the JDK itself (their continuation leaves the
     * carrier), so a process whose workers are virtual never pays for hooking the JDK's classes
     * (about 20 ms of class redefinition on the first executor's path). At most one starter.
     *
     * @throws IllegalStateException if a starter was given before
     */
    public static void whenHooksNeeded(Runnable start) {
        Objects.requireNonNull(start, "start is null");
        boolean now;
        synchronized (WorkerBlocking.class) {
            if (starterGiven) {
                throw new IllegalStateException("a hook starter was given before");
            }
            starterGiven = true;
            now = hooksNeeded;
            hookStarter = now ? null : start;
        }
        if (now) {
            start.run();
        }
    }

    /**
     * Called by the jwq runtime when its workers are platform threads, which learn of blocking
     * only from hooks and the sampler: runs the starter given to {@link #whenHooksNeeded}, now
     * or when it comes.
     */
    public static void hooksNeeded() {
        Runnable start;
        synchronized (WorkerBlocking.class) {
            if (hooksNeeded) {
                return;
            }
            hooksNeeded = true;
            start = hookStarter;
            hookStarter = null;
        }
        if (start != null) {
            start.run();
        }
    }

    /**
     * Installs the runtime's handler. Called by the jwq runtime when its first worker pool is
     * created; a second call throws {@link IllegalStateException}.
     */
    public static synchronized void install(Handler h) {
        Objects.requireNonNull(h, "handler is null");
        if (handler != null) {
            throw new IllegalStateException("a WorkerBlocking handler is already installed: " + handler);
        }
        handler = h;
    }
}
