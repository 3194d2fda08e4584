package dev.jwq.agent.boot;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tasks of one rewritten executor that run now on jwq workers: runs each one the way a
 * {@code ThreadPoolExecutor} worker does (creator's context class loader, beforeExecute /
 * afterExecute), counts active and completed tasks, and lets shutdownNow interrupt exactly the
 * threads that run this executor's tasks, never a worker that has moved on to other work.
 *
 * <p>Legend: I: final; V: atomic or concurrent.
 */
final class ActiveTasks {
    /** The executor's protected hooks, which this class may not call directly. */
    interface Hooks {
        void beforeExecute(Thread t, Runnable r);

        void afterExecute(Runnable r, Throwable t);

        /** The executor is stopping (shutdownNow): its tasks start interrupted. */
        boolean isStopping();
    }

    /** One running task's thread; {@link #interrupt()} and {@link #close()} exclude each other. */
    private static final class Slot {
        private Thread thread; // guarded by this

        Slot(Thread thread) {
            this.thread = thread;
        }

        synchronized void interrupt() {
            if (thread != null) {
                thread.interrupt();
            }
        }

        synchronized void close() {
            thread = null;
        }
    }

    private final ClassLoader creatorLoader;                        // I
    private final Set<Slot> slots = ConcurrentHashMap.newKeySet();  // V
    private final AtomicInteger active = new AtomicInteger();       // V
    private final AtomicLong completed = new AtomicLong();          // V

    ActiveTasks(ClassLoader creatorLoader) {
        this.creatorLoader = creatorLoader;
    }

    /**
     * Runs {@code task} on the calling worker. If the executor is stopping, the task starts
     * interrupted, as in ThreadPoolExecutor.runWorker; the check follows the slot's
     * registration, so a concurrent shutdownNow either sees the slot or is seen here.
     * What the task (or a hook) throws is rethrown after afterExecute, and the jwq worker
     * reports it; the worker itself never dies of it.
     */
    void run(Runnable task, Hooks hooks) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        Slot slot = new Slot(t);
        t.setContextClassLoader(creatorLoader);
        slots.add(slot);
        active.incrementAndGet();
        try {
            if (hooks.isStopping()) {
                t.interrupt();
            }
            hooks.beforeExecute(t, task);
            try {
                task.run();
                hooks.afterExecute(task, null);
            } catch (Throwable ex) {
                hooks.afterExecute(task, ex);
                throw ex;
            }
        } finally {
            completed.incrementAndGet();
            active.decrementAndGet();
            slot.close();
            slots.remove(slot);
            Thread.interrupted(); // an interrupt aimed at this task must not reach the worker's next item
            t.setContextClassLoader(previous);
        }
    }

    /** Interrupts the threads running this executor's tasks now (shutdownNow). */
    void interruptAll() {
        for (Slot s : slots) {
            s.interrupt();
        }
    }

    int active() {
        return active.get();
    }

    long completed() {
        return completed.get();
    }
}
