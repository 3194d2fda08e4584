package dev.jwq;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The system workqueues, the blocking annotation for concurrency management, and drop-in twins
 * of the pool factories of {@link java.util.concurrent.Executors} that run on jwq's shared pools.
 *
 * <p>The system workqueues follow Linux 7.x: {@link #system()} is {@code events} (per-CPU),
 * {@link #unbound()} {@code events_unbound} (max_active 2048), {@link #highPriority()}
 * {@code events_highpri}, {@link #longRunning()} {@code events_long}, {@link #freezable()}
 * {@code events_freezable}, {@link #powerEfficient()} {@code events_power_efficient}. They are
 * shared by the whole process and ignore shutdown.
 *
 * <p>The twins map the JDK's thread counts to max_active: a fixed pool of n becomes an unbound
 * workqueue with max_active n, a cached pool max_active 2048, a single-thread executor an
 * ordered workqueue. Their tasks run on shared workers, so code that relies on a single-thread
 * executor always using the same thread (thread-confined state, ThreadLocals) sees one item at
 * a time, in order, but not always on the same thread. With a {@link ThreadFactory}, the
 * workqueue takes its name from the factory's thread names and reports task failures to the
 * factory's threads' uncaught exception handler, and if they are daemon threads its work does
 * not keep the JVM alive; the factory creates no thread that runs.
 */
public final class Workqueues {
    private static final AtomicInteger TWIN_SEQ = new AtomicInteger();

    private Workqueues() {}

    /**
     * Created when first asked for. Every accessor calls {@link Settings#check()} first: with a
     * bad {@code jwq.*} property each call fails naming it, and this class's initialisation is
     * never attempted (a failed one would leave NoClassDefFoundError for every later call).
     */
    private static final class SystemQueues {
        static final Workqueue EVENTS = sys("events", WqFlag.PERCPU);
        static final Workqueue HIGHPRI = sys("events_highpri", WqFlag.PERCPU, WqFlag.HIGHPRI);
        static final Workqueue LONG = sys("events_long", WqFlag.PERCPU);
        static final Workqueue UNBOUND = systemBuilder("events_unbound", WqFlag.UNBOUND).maxActive(Workqueue.MAX_ACTIVE).build();
        static final Workqueue FREEZABLE = sys("events_freezable", WqFlag.PERCPU, WqFlag.FREEZABLE);
        static final Workqueue POWER_EFFICIENT = sys("events_power_efficient", WqFlag.PERCPU, WqFlag.POWER_EFFICIENT);

        private static Workqueue sys(String name, WqFlag... flags) {
            return systemBuilder(name, flags).build();
        }

        private static Workqueue.Builder systemBuilder(String name, WqFlag... flags) {
            Workqueue.Builder b = Workqueue.builder(name).flags(flags);
            b.system = true;
            return b;
        }
    }

    /**
     * {@code system_percpu_wq}: per-CPU, for short items.
     *
     * @return the shared {@code events} workqueue
     */
    public static Workqueue system() {
        Settings.check();
        return SystemQueues.EVENTS;
    }

    /**
     * {@code system_highpri_wq}.
     *
     * @return the shared {@code events_highpri} workqueue
     */
    public static Workqueue highPriority() {
        Settings.check();
        return SystemQueues.HIGHPRI;
    }

    /**
     * {@code system_long_wq}: per-CPU, for items that may run long.
     *
     * @return the shared {@code events_long} workqueue
     */
    public static Workqueue longRunning() {
        Settings.check();
        return SystemQueues.LONG;
    }

    /**
     * {@code system_dfl_wq}: unbound, max_active 2048.
     *
     * @return the shared {@code events_unbound} workqueue
     */
    public static Workqueue unbound() {
        Settings.check();
        return SystemQueues.UNBOUND;
    }

    /**
     * {@code system_freezable_wq}.
     *
     * @return the shared {@code events_freezable} workqueue
     */
    public static Workqueue freezable() {
        Settings.check();
        return SystemQueues.FREEZABLE;
    }

    /**
     * {@code system_power_efficient_wq}.
     *
     * @return the shared {@code events_power_efficient} workqueue
     */
    public static Workqueue powerEfficient() {
        Settings.check();
        return SystemQueues.POWER_EFFICIENT;
    }

    /* --------------- Freezing --------------- */

    /**
     * Freezes every FREEZABLE workqueue, and those created until {@link #thaw()}
     * ({@code freeze_workqueues_begin}): they start no new items; queueing still succeeds and
     * the items wait, in order. Items already started (or already handed to a pool) finish;
     * {@link #freezeBusy()} says when they have.
     */
    public static void freeze() {
        WorkqueueRegistry.freeze();
    }

    /**
     * While frozen: whether a FREEZABLE workqueue still has items started before the freeze ({@code freeze_workqueues_busy}).
     *
     * @return true while a frozen workqueue still runs an item started before the freeze
     */
    public static boolean freezeBusy() {
        return WorkqueueRegistry.freezeBusy();
    }

    /** Thaws the FREEZABLE workqueues ({@code thaw_workqueues}): their backlog runs, in order. */
    public static void thaw() {
        WorkqueueRegistry.thaw();
    }

    /* --------------- Concurrency management --------------- */

    /**
     * Runs {@code call}, telling concurrency management that the caller blocks meanwhile: on a
     * jwq worker, another worker takes the pool's pending items at once. Off a worker it just
     * runs {@code call}.
     *
     * @param <T> what {@code call} returns
     * @param call the blocking code
     * @return what {@code call} returned
     * @throws Exception what {@code call} threw
     */
    public static <T> T blocking(Callable<T> call) throws Exception {
        Objects.requireNonNull(call, "call is null");
        Worker w = Worker.current();
        if (w == null || !w.beginBlocking(BlockingSource.EXPLICIT)) {
            return call.call();
        }
        try {
            return call.call();
        } finally {
            w.endBlocking(BlockingSource.EXPLICIT);
        }
    }

    /**
     * Runs a {@link ForkJoinPool.ManagedBlocker} as {@link ForkJoinPool#managedBlock} does, telling
     * concurrency management that the caller blocks while {@code blocker.block()} runs: code
     * written for the fork/join framework's blocking protocol gets the same compensation on a jwq
     * worker (another worker takes the pool's pending items). Off a jwq worker it is
     * {@code ForkJoinPool.managedBlock(blocker)}.
     *
     * @param blocker the blocking code and its readiness check
     * @throws InterruptedException if interrupted while blocking
     */
    public static void managedBlock(ForkJoinPool.ManagedBlocker blocker) throws InterruptedException {
        Objects.requireNonNull(blocker, "blocker is null");
        Worker w = Worker.current();
        if (w == null) {
            ForkJoinPool.managedBlock(blocker);
            return;
        }
        if (blocker.isReleasable()) {
            return;
        }
        boolean slept = w.beginBlocking(BlockingSource.EXPLICIT);
        try {
            while (!blocker.isReleasable() && !blocker.block()) {
                // block() returned false: more blocking may be needed (ForkJoinPool's contract)
            }
        } finally {
            if (slept) {
                w.endBlocking(BlockingSource.EXPLICIT);
            }
        }
    }

    /**
     * {@link #blocking(Callable)} for code that returns nothing and throws no checked exception.
     *
     * @param call the blocking code
     */
    public static void blocking(Runnable call) {
        Objects.requireNonNull(call, "call is null");
        try {
            blocking(() -> {
                call.run();
                return null;
            });
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("a Runnable threw a checked exception", e);
        }
    }

    /* --------------- Twins of java.util.concurrent.Executors --------------- */

    /**
     * Twin of {@code Executors.newFixedThreadPool(n)}: unbound, max_active n.
     *
     * @param nThreads how many tasks may run at once
     * @return a new workqueue
     */
    public static ExecutorService newFixedThreadPool(int nThreads) {
        return twin("fixed", null, positive(nThreads, "nThreads")).build();
    }

    /**
     * Twin of {@code Executors.newFixedThreadPool(n, factory)}: as {@link #newFixedThreadPool(int)}, named after the factory's threads and reporting failures to their handler.
     *
     * @param nThreads how many tasks may run at once
     * @param threadFactory tells the name and the failure handler; creates no thread that runs
     * @return a new workqueue
     */
    public static ExecutorService newFixedThreadPool(int nThreads, ThreadFactory threadFactory) {
        return twin("fixed", Objects.requireNonNull(threadFactory, "threadFactory"), positive(nThreads, "nThreads")).build();
    }

    /**
     * Twin of {@code Executors.newCachedThreadPool()}: unbound, max_active 2048.
     *
     * @return a new workqueue
     */
    public static ExecutorService newCachedThreadPool() {
        return twin("cached", null, Workqueue.MAX_ACTIVE).build();
    }

    /**
     * Twin of {@code Executors.newCachedThreadPool(factory)}: as {@link #newCachedThreadPool()}, named after the factory's threads and reporting failures to their handler.
     *
     * @param threadFactory tells the name and the failure handler; creates no thread that runs
     * @return a new workqueue
     */
    public static ExecutorService newCachedThreadPool(ThreadFactory threadFactory) {
        return twin("cached", Objects.requireNonNull(threadFactory, "threadFactory"), Workqueue.MAX_ACTIVE).build();
    }

    /**
     * Twin of {@code Executors.newSingleThreadExecutor()}: ordered.
     *
     * @return a new workqueue
     */
    public static ExecutorService newSingleThreadExecutor() {
        return twin("single", null, 0).ordered().build();
    }

    /**
     * Twin of {@code Executors.newSingleThreadExecutor(factory)}: as {@link #newSingleThreadExecutor()}, named after the factory's threads and reporting failures to their handler.
     *
     * @param threadFactory tells the name and the failure handler; creates no thread that runs
     * @return a new workqueue
     */
    public static ExecutorService newSingleThreadExecutor(ThreadFactory threadFactory) {
        return twin("single", Objects.requireNonNull(threadFactory, "threadFactory"), 0).ordered().build();
    }

    /**
     * Twin of {@code Executors.newScheduledThreadPool(n)}: unbound, max_active n.
     *
     * @param corePoolSize how many tasks may run at once
     * @return a new workqueue
     */
    public static ScheduledExecutorService newScheduledThreadPool(int corePoolSize) {
        return twin("scheduled", null, positive(corePoolSize, "corePoolSize")).build();
    }

    /**
     * Twin of {@code Executors.newScheduledThreadPool(n, factory)}: as {@link #newScheduledThreadPool(int)}, named after the factory's threads and reporting failures to their handler.
     *
     * @param corePoolSize how many tasks may run at once
     * @param threadFactory tells the name and the failure handler; creates no thread that runs
     * @return a new workqueue
     */
    public static ScheduledExecutorService newScheduledThreadPool(int corePoolSize, ThreadFactory threadFactory) {
        return twin("scheduled", Objects.requireNonNull(threadFactory, "threadFactory"), positive(corePoolSize, "corePoolSize")).build();
    }

    /**
     * Twin of {@code Executors.newSingleThreadScheduledExecutor()}: ordered.
     *
     * @return a new workqueue
     */
    public static ScheduledExecutorService newSingleThreadScheduledExecutor() {
        return twin("single-scheduled", null, 0).ordered().build();
    }

    /**
     * Twin of {@code Executors.newSingleThreadScheduledExecutor(factory)}: as {@link #newSingleThreadScheduledExecutor()}, named after the factory's threads and reporting failures to their handler.
     *
     * @param threadFactory tells the name and the failure handler; creates no thread that runs
     * @return a new workqueue
     */
    public static ScheduledExecutorService newSingleThreadScheduledExecutor(ThreadFactory threadFactory) {
        return twin("single-scheduled", Objects.requireNonNull(threadFactory, "threadFactory"), 0).ordered().build();
    }

    /**
     * Twin of {@code Executors.newWorkStealingPool()}: unbound, max_active = usable CPUs.
     *
     * @return a new workqueue
     */
    public static ExecutorService newWorkStealingPool() {
        return twin("work-stealing", null, Cpus.count()).build();
    }

    /**
     * Twin of {@code Executors.newWorkStealingPool(parallelism)}: unbound, max_active = parallelism.
     *
     * @param parallelism how many tasks may run at once
     * @return a new workqueue
     */
    public static ExecutorService newWorkStealingPool(int parallelism) {
        return twin("work-stealing", null, positive(parallelism, "parallelism")).build();
    }

    private static int positive(int n, String what) {
        if (n <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + n);
        }
        return n;
    }

    /**
     * A twin's builder. With a factory, one unstarted probe thread tells the name and failure
     * handler: the factory's threads' name minus a trailing counter, and their handler if it
     * is their own rather than their group's.
     */
    private static Workqueue.Builder twin(String kind, ThreadFactory factory, int maxActive) {
        String name = kind + "-" + TWIN_SEQ.incrementAndGet();
        Thread.UncaughtExceptionHandler handler = null;
        boolean daemon = false;
        if (factory != null) {
            Thread probe = factory.newThread(() -> { });
            if (probe == null) {
                throw new IllegalArgumentException("threadFactory returned null");
            }
            String base = probe.getName().replaceAll("[-_ #]?\\d+$", "");
            name = (base.isEmpty() ? kind : base) + "-" + TWIN_SEQ.get();
            if (probe.getUncaughtExceptionHandler() != probe.getThreadGroup()) {
                handler = probe.getUncaughtExceptionHandler();
            }
            daemon = probe.isDaemon();
        }
        Workqueue.Builder b = Workqueue.builder(name).flags(WqFlag.UNBOUND);
        if (maxActive > 0) {
            b.maxActive(maxActive);
        }
        b.failureHandler = handler;
        b.daemon = daemon;
        return b;
    }
}
