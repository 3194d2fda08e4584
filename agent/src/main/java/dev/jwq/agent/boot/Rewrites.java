package dev.jwq.agent.boot;

import dev.jwq.Workqueue;
import dev.jwq.Workqueues;
import dev.jwq.WqFlag;
import dev.jwq.spi.DaemonWorkqueues;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * What rewritten {@code Executors.newXxx(...)} calls call instead: the same name and parameters
 * plus the call site ({@code Class.method:line}) the agent appends.
 *
 * <p>Where the JDK returns a {@code ThreadPoolExecutor} or {@code ScheduledThreadPoolExecutor}
 * (fixed, cached, scheduled pools), so does this, since code casts the result to read its
 * statistics or resize it. Where the JDK returns a wrapper that hides the pool (single-thread
 * executors) or a {@code ForkJoinPool} (work-stealing), this returns a jwq workqueue: ordered for
 * single-thread executors (behind a plain ExecutorService or ScheduledExecutorService, as the
 * JDK's: {@link OrderedExecutor}, {@link OrderedScheduledExecutor}), unbound for work-stealing
 * ones (behind {@link StealingExecutor}, which keeps ForkJoinPool's joins inside the pool and its
 * shutdownNow; max_active: {@link #stealingMaxActive}). Arguments are checked as the JDK checks them.
 */
public final class Rewrites {
    private Rewrites() {}

    public static ExecutorService newFixedThreadPool(int nThreads, String site) {
        return fixed(nThreads, java.util.concurrent.Executors.defaultThreadFactory(), site);
    }

    public static ExecutorService newFixedThreadPool(int nThreads, ThreadFactory threadFactory, String site) {
        return fixed(nThreads, threadFactory, site);
    }

    private static ExecutorService fixed(int n, ThreadFactory tf, String site) {
        return new JwqThreadPoolExecutor(n, n, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), tf,
                new java.util.concurrent.ThreadPoolExecutor.AbortPolicy(), site, "Executors.newFixedThreadPool");
    }

    public static ExecutorService newCachedThreadPool(String site) {
        return cached(java.util.concurrent.Executors.defaultThreadFactory(), site);
    }

    public static ExecutorService newCachedThreadPool(ThreadFactory threadFactory, String site) {
        return cached(threadFactory, site);
    }

    private static ExecutorService cached(ThreadFactory tf, String site) {
        return new JwqThreadPoolExecutor(0, Integer.MAX_VALUE, 60L, TimeUnit.SECONDS, new SynchronousQueue<>(), tf,
                new java.util.concurrent.ThreadPoolExecutor.AbortPolicy(), site, "Executors.newCachedThreadPool");
    }

    public static ScheduledExecutorService newScheduledThreadPool(int corePoolSize, String site) {
        return new JwqScheduledThreadPoolExecutor(corePoolSize, java.util.concurrent.Executors.defaultThreadFactory(),
                new java.util.concurrent.ThreadPoolExecutor.AbortPolicy(), site, "Executors.newScheduledThreadPool");
    }

    public static ScheduledExecutorService newScheduledThreadPool(int corePoolSize, ThreadFactory threadFactory,
                                                                  String site) {
        return new JwqScheduledThreadPoolExecutor(corePoolSize, threadFactory,
                new java.util.concurrent.ThreadPoolExecutor.AbortPolicy(), site, "Executors.newScheduledThreadPool");
    }

    public static ExecutorService newSingleThreadExecutor(String site) {
        return new OrderedExecutor(ordered(null, site, "Executors.newSingleThreadExecutor"));
    }

    public static ExecutorService newSingleThreadExecutor(ThreadFactory threadFactory, String site) {
        String origin = "Executors.newSingleThreadExecutor";
        return keepsItsThreads(requireFactory(threadFactory), site, origin)
                ? java.util.concurrent.Executors.newSingleThreadExecutor(threadFactory)
                : new OrderedExecutor(ordered(threadFactory, site, origin));
    }

    public static ScheduledExecutorService newSingleThreadScheduledExecutor(String site) {
        return new OrderedScheduledExecutor(ordered(null, site, "Executors.newSingleThreadScheduledExecutor"));
    }

    public static ScheduledExecutorService newSingleThreadScheduledExecutor(ThreadFactory threadFactory, String site) {
        String origin = "Executors.newSingleThreadScheduledExecutor";
        return keepsItsThreads(requireFactory(threadFactory), site, origin)
                ? java.util.concurrent.Executors.newSingleThreadScheduledExecutor(threadFactory)
                : new OrderedScheduledExecutor(ordered(threadFactory, site, origin));
    }

    /** A factory making threads of its own Thread subclass: the executor keeps them (reported). */
    private static boolean keepsItsThreads(ThreadFactory tf, String site, String origin) {
        String reason = FactoryProbe.of(tf).leaveAloneReason();
        if (reason == null) {
            return false;
        }
        AgentReport.leftAlone(site, origin, reason);
        return true;
    }

    /**
     * An ordered workqueue: one task at a time, in order, each seeing what the previous one did,
     * but not always on the same thread (see docs/agent.md). With a factory, the runtime's twin
     * takes the name and uncaught-exception handler of the factory's threads.
     */
    private static Workqueue ordered(ThreadFactory tf, String site, String origin) {
        Workqueue wq = tf == null
                ? Workqueue.builder(Naming.shortSite(site)).ordered().build()
                : (Workqueue) Workqueues.newSingleThreadScheduledExecutor(tf);
        AgentReport.threadsAvoided(1);
        AgentReport.created(site, origin, wq.name());
        return wq;
    }

    public static ExecutorService newWorkStealingPool(String site) {
        return stealing(Runtime.getRuntime().availableProcessors(), site);
    }

    public static ExecutorService newWorkStealingPool(int parallelism, String site) {
        if (parallelism <= 0) {
            throw new IllegalArgumentException(); // ForkJoinPool's, without a message
        }
        return stealing(parallelism, site);
    }

    private static ExecutorService stealing(int parallelism, String site) {
        // ForkJoinPool's workers are daemon threads: its work never keeps the JVM alive.
        Workqueue wq = DaemonWorkqueues.daemon(Workqueue.builder(Naming.shortSite(site)).flags(WqFlag.UNBOUND))
                .maxActive(stealingMaxActive(parallelism, Runtime.getRuntime().availableProcessors())).build();
        AgentReport.threadsAvoided(parallelism);
        AgentReport.created(site, "Executors.newWorkStealingPool", wq.name());
        return StealingExecutor.of(wq);
    }

    /**
     * A work-stealing pool's max_active. Its parallelism is "the maximum number of threads
     * actively engaged in task processing" (the JDK's words): a task blocked in a join does not
     * count, ForkJoinPool starting a spare thread for it, as concurrency management runs another
     * item for a blocked one. A max_active of the parallelism counted the blocked tasks too, so
     * tasks joining tasks of the same pool deeper than the parallelism hung
     * ({@code CompletableFuture.supplyAsync(.., pool).join()} inside the pool). With a
     * parallelism of at least the CPUs, the pool's concurrency management already keeps fewer
     * items running than the parallelism, so max_active is the workqueue's largest; below the
     * CPUs, it stays the parallelism (the only limit on running items that jwq has per
     * workqueue), and a chain of joins deeper than that still waits.
     */
    static int stealingMaxActive(int parallelism, int cpus) {
        return parallelism >= cpus ? JwqThreadPoolExecutor.WQ_MAX_ACTIVE : Math.min(parallelism, JwqThreadPoolExecutor.WQ_MAX_ACTIVE);
    }

    /** The JDK's check, with its message (the ThreadPoolExecutor made for the executor makes it). */
    private static ThreadFactory requireFactory(ThreadFactory tf) {
        return Objects.requireNonNull(tf, "threadFactory");
    }
}
