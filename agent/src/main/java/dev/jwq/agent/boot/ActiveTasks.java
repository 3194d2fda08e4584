package dev.jwq.agent.boot;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * The tasks of one rewritten executor that run now on jwq workers: runs each one the way a
 * {@code ThreadPoolExecutor} worker does (creator's context class loader, beforeExecute /
 * afterExecute), counts active and completed tasks, and lets shutdownNow interrupt exactly the
 * threads that run this executor's tasks, never a worker that has moved on to other work.
 *
 * <p>Legend: I: final; V: atomic or concurrent.
 */
final class ActiveTasks {

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
    private final BiConsumer<Thread, Runnable> beforeExecute;       // I: the executor's protected hooks,
    private final BiConsumer<Runnable, Throwable> afterExecute;     // I: which this class may not call
    private final BooleanSupplier stopping;                         // I: shutdownNow: tasks start interrupted
    private final Set<Slot> slots = ConcurrentHashMap.newKeySet();  // V
    private final AtomicInteger active = new AtomicInteger();       // V
    private final AtomicLong completed = new AtomicLong();          // V

    /** Made by the executor's constructor: the creator's context class loader is the caller's. */
    ActiveTasks(BiConsumer<Thread, Runnable> beforeExecute, BiConsumer<Runnable, Throwable> afterExecute,
                BooleanSupplier stopping) {
        this.creatorLoader = Thread.currentThread().getContextClassLoader();
        this.beforeExecute = beforeExecute;
        this.afterExecute = afterExecute;
        this.stopping = stopping;
    }

    /**
     * Runs {@code task} on the calling worker. If the executor is stopping, the task starts
     * interrupted, as in ThreadPoolExecutor.runWorker; the check follows the slot's
     * registration, so a concurrent shutdownNow either sees the slot or is seen here.
     * What the task (or a hook) throws is rethrown after afterExecute, and the jwq worker
     * reports it; the worker itself never dies of it.
     */
    void run(Runnable task) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        Slot slot = new Slot(t);
        t.setContextClassLoader(creatorLoader);
        slots.add(slot);
        active.incrementAndGet();
        try {
            if (stopping.getAsBoolean()) {
                t.interrupt();
            }
            beforeExecute.accept(t, task);
            try {
                task.run();
                afterExecute.accept(task, null);
            } catch (Throwable ex) {
                afterExecute.accept(task, ex);
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
