package dev.jwq.agent.boot;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs the tasks of one rewritten executor on jwq workers the way a {@code ThreadPoolExecutor}
 * worker does (the creator's context class loader, beforeExecute / afterExecute, an interrupt
 * that never outlives its task), with the executor's name on the worker while it runs
 * ({@link TaskThreadNames}), and counts the ended ones of {@link #run}. A task queued as its own
 * work item ({@link #runDirect}) is counted by nobody here: its workqueue counts its items
 * anyway ({@code WorkCounts}), and a fenced add per task at each end, with one at each
 * {@code execute}, cost a rewritten pool's chain step a fifth of its time (165 against 132 ns,
 * bench/README.md, session 42). The tasks active now are counted only when asked, by the
 * workqueue (the executors' {@code getActiveCount}, through {@code WorkCounts.running}), as
 * ThreadPoolExecutor counts its busy
 * workers. shutdownNow interrupts the executor's running tasks through its
 * workqueue ({@code Workqueue.shutdownNow} interrupts the workers running its items, while they
 * run them), so no set of running threads is kept.
 *
 * <p>Legend: I: final; V: atomic.
 */
final class ActiveTasks {
    private final ClassLoader creatorLoader;                        // I
    private String namePrefix;                                      // written once by the executor's constructor
    private Thread.UncaughtExceptionHandler failureHandler;         // written once by the executor's constructor
    private final Owner owner;                                      // I
    private final LongAdder ended = new LongAdder();                // V: tasks of run that ended (a striped count)

    /** Made by the executor's constructor: the creator's context class loader is the caller's. */
    ActiveTasks(Owner owner) {
        this.creatorLoader = Thread.currentThread().getContextClassLoader();
        this.owner = owner;
    }

    /**
     * The executor's side of a task's run: its protected hooks, which this class may not call
     * itself, and whether {@code shutdownNow} has come (tasks then start interrupted). One class of
     * the executor's, not lambdas: a lambda is a class spun at run time, and the first rewritten
     * executor's creation spun five of them (about 3 ms, bench/README.md, session 32).
     */
    interface Owner {
        void beforeExecute(Thread t, Runnable r);

        void afterExecute(Runnable r, Throwable t);

        boolean stopping();
    }

    /**
     * Runs {@code task} on the calling worker; by the time this returns it counts as completed.
     * If the executor is stopping, the task starts
     * interrupted, as in ThreadPoolExecutor.runWorker. What the task (or a hook) throws is
     * rethrown after afterExecute, and the jwq worker reports it; the worker never dies of it.
     * If the executor's ThreadFactory gave its threads a handler of their own, that handler gets
     * it instead, here, once the task has ended ({@link #reportTo}).
     */
    void run(Runnable task) {
        try {
            runDirect(task);
        } finally {
            ended.increment(); // whatever happened
        }
    }

    /** {@link #run} without the count: for a task queued as its own work item, which its workqueue counts. */
    void runDirect(Runnable task) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        String workerName = null;
        Throwable failed = null;
        try {
            if (previous != creatorLoader) {
                t.setContextClassLoader(creatorLoader);
            }
            workerName = namePrefix == null ? null : t.getName();
            if (workerName != null) {
                TaskThreadNames.set(t, taskName(workerName));
            }
            if (owner.stopping()) {
                t.interrupt();
            }
            owner.beforeExecute(t, task);
            try {
                task.run();
                owner.afterExecute(task, null);
            } catch (Throwable ex) {
                owner.afterExecute(task, ex);
                throw ex;
            }
        } catch (Throwable ex) {
            if (failureHandler == null) {
                throw ex;
            }
            failed = ex;
        } finally {
            Thread.interrupted(); // an interrupt aimed at this task must not reach the worker's next item
            if (previous != creatorLoader) {
                t.setContextClassLoader(previous);
            }
            if (workerName != null) {
                TaskThreadNames.set(t, workerName);
            }
        }
        if (failed != null) {
            try {
                failureHandler.uncaughtException(t, failed);
            } catch (Throwable ignored) {
                // as the JVM ignores what a thread's handler throws
            }
        }
    }

    /**
     * The names tasks run under, by worker name: {@code namePrefix + workerName}, made once per
     * worker rather than concatenated twice per task (measured: a tenth of a rewritten pool's
     * per-task time). Keyed by the name's value, so a worker that comes back with a reused id
     * (pools reuse the lowest free one) finds its entry: the map holds one entry per worker
     * name this executor's tasks ran under, which the pools' peak worker counts bound. A task
     * that renames its thread does not add to it (the worker's name is restored when the task
     * ends); a thread renamed outside the agent's tasks could, so past {@link #TASK_NAMES_MAX}
     * entries the map starts again: the entries are a pure function of the key, and dropping
     * them costs only the concatenations.
     *
     * <p>Was a 16-slot table indexed by the name's hash, holding the last pair seen per slot: an
     * unbound pool under the flagship demo's load had 46 workers, which thrashed it, and every
     * miss made a name and a pair (5% of the heap that run allocated).
     */
    private final ConcurrentHashMap<String, String> taskNames = new ConcurrentHashMap<>(); // V: ConcurrentHashMap
    /** Entries past which {@link #taskNames} starts again: far above any pool's worker count. */
    private static final int TASK_NAMES_MAX = 4096;

    /** The name a task runs under on the worker named {@code workerName}. */
    String taskName(String workerName) {
        String name = taskNames.get(workerName);
        if (name == null) {
            if (taskNames.size() >= TASK_NAMES_MAX) {
                taskNames.clear();
            }
            name = namePrefix.concat(workerName);
            taskNames.put(workerName, name); // racing workers put equal values
        }
        return name;
    }

    /**
     * Sends what a task or hook throws to {@code handler} (null: to the jwq worker's), the
     * handler the executor's ThreadFactory gave its threads ({@code FactoryProbe}). The JDK's pool
     * thread dies of the failure and its handler gets it; without this, under the agent the
     * worker's handler got it, so the factory's handler was never called.
     */
    void reportTo(Thread.UncaughtExceptionHandler handler) {
        failureHandler = handler;
    }

    /** Names the workers running these tasks after the executor {@code identity} (its workqueue's name). */
    void nameAfter(String identity) {
        namePrefix = TaskThreadNames.prefix(identity);
    }

    /** Tasks of {@link #run} that ended (completed, or threw); a sum taken while they end may miss the ones doing so. */
    long completed() {
        return ended.sum();
    }
}
