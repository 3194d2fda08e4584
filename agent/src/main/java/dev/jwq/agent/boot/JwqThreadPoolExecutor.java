package dev.jwq.agent.boot;

import dev.jwq.Workqueue;
import dev.jwq.WqFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What {@code new ThreadPoolExecutor(...)} (and {@code Executors.newFixedThreadPool},
 * {@code newCachedThreadPool}) become under the agent: a {@link ThreadPoolExecutor} whose tasks
 * run on a jwq workqueue instead of its own threads.
 *
 * <h2>Implementation overview</h2>
 *
 * <p><b>Runners stand in for threads.</b> The caller's queue stays the one place where pending
 * tasks wait, so {@link #getQueue()}, {@link #remove}, {@link #purge()}, a bounded queue's
 * capacity and a priority queue's order keep their meaning. Where the JDK would start a worker
 * thread, this class queues a <em>runner</em> on its workqueue; a runner runs its first task (or
 * the queue's head), then queues itself again while the queue has tasks, so that every task is
 * one jwq work item and other workqueues' items interleave. {@link #execute} is
 * ThreadPoolExecutor's algorithm with runners for workers: fewer than core runners, start one
 * with the task; else offer it to the queue; else start one up to max; else reject.
 *
 * <p><b>No task is stranded.</b> A runner that finds the queue empty gives up its slot, then
 * looks at the queue again and takes a slot back if a task arrived; {@code execute} offers
 * before it reads the runner count. Both are sequentially consistent, so either the runner sees
 * the task or {@code execute} sees no runner and starts one.
 *
 * <p><b>Lifecycle</b> is ThreadPoolExecutor's: RUNNING -&gt; SHUTDOWN (queued tasks still run)
 * -&gt; STOP (shutdownNow: queue drained and returned, running tasks interrupted) -&gt; TIDYING
 * ({@link #terminated()} runs) -&gt; TERMINATED once no runner is left and, unless stopping, the
 * queue is empty. The superclass is only a shell that holds the settings (sizes, keep-alive,
 * factory, handler) and validates them: it gets an always-empty queue, so none of its methods can
 * ever start a thread.
 *
 * <p><b>Left alone.</b> With a queue class outside the JDK's standard ones, whose
 * {@code offer} may depend on the executor's threads (Tomcat's TaskQueue, "scaling" queues), this
 * executor is a plain ThreadPoolExecutor: every method goes to the superclass.
 *
 * <p>Legend: I: final after construction; V: volatile or atomic.
 */
public class JwqThreadPoolExecutor extends ThreadPoolExecutor {
    /** The queue given to the superclass: always empty, so the superclass never starts a thread. */
    private static final BlockingQueue<Runnable> SHELL_QUEUE = new SynchronousQueue<>();
    /** Queue classes whose offer/poll/remove mean only that: tasks in, tasks out. */
    private static final Set<Class<?>> STANDARD_QUEUES = Set.of(LinkedBlockingQueue.class,
            ArrayBlockingQueue.class, SynchronousQueue.class, LinkedTransferQueue.class,
            LinkedBlockingDeque.class, PriorityBlockingQueue.class);
    /** {@code WQ_MAX_ACTIVE}: larger sizes are clamped quietly (the executor's own limit still holds). */
    private static final int WQ_MAX_ACTIVE = 2048;

    private static final int RUNNING = RunState.RUNNING, SHUTDOWN = RunState.SHUTDOWN, STOP = RunState.STOP,
            TIDYING = RunState.TIDYING;

    private final boolean passthrough;                // I: left alone, a plain ThreadPoolExecutor
    private final BlockingQueue<Runnable> queue;      // I: the caller's queue; null in passthrough
    private final Workqueue wq;                       // I: null in passthrough
    private final String site;                        // I
    private final ActiveTasks tasks;                  // I
    private final RunState runState = new RunState(); // I
    private final AtomicInteger runners = new AtomicInteger();   // V: runners queued or running
    private final AtomicInteger largest = new AtomicInteger();   // V: most runners at once; updated under its monitor
    private final AtomicInteger started = new AtomicInteger();   // V: runners ever started, capped at core

    public JwqThreadPoolExecutor(int corePoolSize, int maximumPoolSize, long keepAliveTime, TimeUnit unit,
                                 BlockingQueue<Runnable> workQueue, String site) {
        this(corePoolSize, maximumPoolSize, keepAliveTime, unit, workQueue, Executors.defaultThreadFactory(),
                new AbortPolicy(), site, "new ThreadPoolExecutor");
    }

    public JwqThreadPoolExecutor(int corePoolSize, int maximumPoolSize, long keepAliveTime, TimeUnit unit,
                                 BlockingQueue<Runnable> workQueue, ThreadFactory threadFactory, String site) {
        this(corePoolSize, maximumPoolSize, keepAliveTime, unit, workQueue, threadFactory, new AbortPolicy(), site,
                "new ThreadPoolExecutor");
    }

    public JwqThreadPoolExecutor(int corePoolSize, int maximumPoolSize, long keepAliveTime, TimeUnit unit,
                                 BlockingQueue<Runnable> workQueue, RejectedExecutionHandler handler, String site) {
        this(corePoolSize, maximumPoolSize, keepAliveTime, unit, workQueue, Executors.defaultThreadFactory(), handler,
                site, "new ThreadPoolExecutor");
    }

    public JwqThreadPoolExecutor(int corePoolSize, int maximumPoolSize, long keepAliveTime, TimeUnit unit,
                                 BlockingQueue<Runnable> workQueue, ThreadFactory threadFactory,
                                 RejectedExecutionHandler handler, String site) {
        this(corePoolSize, maximumPoolSize, keepAliveTime, unit, workQueue, threadFactory, handler, site,
                "new ThreadPoolExecutor");
    }

    /** {@code origin}: the JDK factory or constructor the application called, for the report. */
    JwqThreadPoolExecutor(int corePoolSize, int maximumPoolSize, long keepAliveTime, TimeUnit unit,
                          BlockingQueue<Runnable> workQueue, ThreadFactory threadFactory,
                          RejectedExecutionHandler handler, String site, String origin) {
        // The superclass validates every argument, in the JDK's order, before anything else runs.
        super(corePoolSize, maximumPoolSize, keepAliveTime, unit, shellFor(workQueue), threadFactory, handler);
        this.site = site;
        this.passthrough = !STANDARD_QUEUES.contains(workQueue.getClass());
        this.tasks = new ActiveTasks(this::beforeExecute, this::afterExecute, () -> runState.get() >= STOP);
        if (passthrough) {
            this.queue = null;
            this.wq = null;
            AgentReport.leftAlone(origin + " with queue " + workQueue.getClass().getName());
            return;
        }
        this.queue = workQueue;
        this.wq = Workqueue.builder(Naming.of(threadFactory, Naming.shortSite(site)))
                .flags(WqFlag.UNBOUND).maxActive(wqMaxActive(corePoolSize, maximumPoolSize)).build();
        AgentReport.created(site, origin, wq.name());
    }

    /** The caller's queue for a left-alone executor, the empty shell otherwise; null stays null for the NPE. */
    private static BlockingQueue<Runnable> shellFor(BlockingQueue<Runnable> workQueue) {
        return workQueue == null || !STANDARD_QUEUES.contains(workQueue.getClass()) ? workQueue : SHELL_QUEUE;
    }

    private static int wqMaxActive(int core, int max) {
        return Math.max(1, Math.min(WQ_MAX_ACTIVE, Math.max(core, max)));
    }

    /** The workqueue the tasks run on, or null if this executor was left alone. */
    public Workqueue workqueue() {
        return wq;
    }

    /* --------------- Queueing --------------- */

    @Override
    public void execute(Runnable command) {
        if (passthrough) {
            super.execute(command);
            return;
        }
        Objects.requireNonNull(command, "command is null");
        if (runState.get() >= SHUTDOWN) {
            reject(command);
            return;
        }
        if (tryStartRunner(getCorePoolSize(), command)) {
            return;
        }
        if (queue.offer(command)) {
            if (runState.get() >= SHUTDOWN && queue.remove(command)) {
                reject(command);
            } else if (runners.get() == 0) {
                tryStartRunner(Math.max(1, getCorePoolSize()), null);
            }
            return;
        }
        if (!tryStartRunner(getMaximumPoolSize(), command)) {
            reject(command);
        }
    }

    private void reject(Runnable command) {
        getRejectedExecutionHandler().rejectedExecution(command, this);
    }

    /**
     * Takes a runner slot if fewer than {@code limit} are taken and the state allows it (as
     * addWorker: none once stopping; while shutting down only to drain a non-empty queue), and
     * queues the runner.
     */
    private boolean tryStartRunner(int limit, Runnable first) {
        for (;;) {
            int s = runState.get();
            if (s >= STOP || (s == SHUTDOWN && (first != null || queue.isEmpty()))) {
                return false;
            }
            int r = runners.get();
            if (r >= limit) {
                return false;
            }
            if (runners.compareAndSet(r, r + 1)) {
                break;
            }
        }
        noteRunnerStarted();
        try {
            wq.execute(new Runner(first));
        } catch (RuntimeException | Error e) {
            runnerExit();
            throw e;
        }
        return true;
    }

    /**
     * Records a runner start for the statistics: the most runners at once, and the core threads
     * the JDK's pool would have started by now (one per start until core are there). Their
     * growth is what the report counts as threads not started.
     */
    private void noteRunnerStarted() {
        int core = getCorePoolSize();
        synchronized (largest) {
            int before = largestPoolSize();
            largest.accumulateAndGet(runners.get(), Math::max);
            started.getAndUpdate(s -> s < core ? s + 1 : s);
            int grown = largestPoolSize() - before;
            if (grown > 0) {
                AgentReport.threadsAvoided(grown);
            }
        }
    }

    private int largestPoolSize() {
        return Math.max(largest.get(), started.get());
    }

    /** One runner: a jwq work item that runs one task, then queues itself again while tasks wait. */
    private final class Runner implements Runnable {
        private Runnable first; // touched only by the worker running this item

        Runner(Runnable first) {
            this.first = first;
        }

        @Override
        public void run() {
            Runnable task = first;
            first = null;
            try {
                if (task == null && runState.get() < STOP) {
                    task = queue.poll();
                }
                if (task != null) {
                    tasks.run(task);
                }
            } finally {
                if (runState.get() < STOP && !queue.isEmpty()) {
                    wq.execute(this); // chained from our own item: accepted even while the workqueue drains
                } else {
                    runnerExit();
                }
            }
        }

        @Override
        public String toString() {
            return "runner of " + wq.name();
        }
    }

    /** A runner gives up its slot; it takes one back if a task arrived meanwhile, else may terminate. */
    private void runnerExit() {
        runners.decrementAndGet();
        if (runState.get() < STOP && !queue.isEmpty() && tryStartRunner(Math.max(1, getCorePoolSize()), null)) {
            return;
        }
        tryTerminate();
    }

    /* --------------- Lifecycle --------------- */

    @Override
    public void shutdown() {
        if (passthrough) {
            super.shutdown();
            return;
        }
        runState.advance(SHUTDOWN);
        tryTerminate();
    }

    @Override
    public List<Runnable> shutdownNow() {
        if (passthrough) {
            return super.shutdownNow();
        }
        runState.advance(STOP);
        tasks.interruptAll();
        List<Runnable> never = new ArrayList<>();
        queue.drainTo(never);
        if (!queue.isEmpty()) {
            for (Runnable r : queue.toArray(new Runnable[0])) {
                if (queue.remove(r)) {
                    never.add(r);
                }
            }
        }
        tryTerminate();
        return never;
    }

    /** Terminates once shut down, no runner is left and (unless stopping) the queue is empty. */
    private void tryTerminate() {
        BooleanSupplier idle = () -> runners.get() == 0 && (runState.get() >= STOP || queue.isEmpty());
        if (runState.tryTerminate(idle, this::terminated)) {
            wq.shutdown(); // no runner is left: the workqueue terminates at once and is released
        }
    }

    @Override
    public boolean isShutdown() {
        return passthrough ? super.isShutdown() : runState.isShutdown();
    }

    @Override
    public boolean isTerminating() {
        return passthrough ? super.isTerminating() : runState.isTerminating();
    }

    @Override
    public boolean isTerminated() {
        return passthrough ? super.isTerminated() : runState.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return passthrough ? super.awaitTermination(timeout, unit) : runState.awaitTermination(timeout, unit);
    }

    /* --------------- Settings --------------- */

    @Override
    public void setCorePoolSize(int corePoolSize) {
        super.setCorePoolSize(corePoolSize); // validates; the shell queue is empty, so no thread starts
        if (!passthrough) {
            wq.setMaxActive(wqMaxActive(corePoolSize, getMaximumPoolSize()));
            while (!queue.isEmpty() && tryStartRunner(corePoolSize, null)) {
                // as the JDK starts new core threads for queued tasks
            }
        }
    }

    @Override
    public void setMaximumPoolSize(int maximumPoolSize) {
        super.setMaximumPoolSize(maximumPoolSize);
        if (!passthrough) {
            wq.setMaxActive(wqMaxActive(getCorePoolSize(), maximumPoolSize));
        }
    }

    /**
     * Starts a runner if a task waits in the queue and fewer than core runners exist; no thread
     * is started, since jwq's workers are shared and already there.
     */
    @Override
    public boolean prestartCoreThread() {
        if (passthrough) {
            return super.prestartCoreThread();
        }
        return !queue.isEmpty() && tryStartRunner(getCorePoolSize(), null);
    }

    @Override
    public int prestartAllCoreThreads() {
        if (passthrough) {
            return super.prestartAllCoreThreads();
        }
        int n = 0;
        while (prestartCoreThread()) {
            n++;
        }
        return n;
    }

    /* --------------- Queue maintenance --------------- */

    @Override
    public BlockingQueue<Runnable> getQueue() {
        return passthrough ? super.getQueue() : queue;
    }

    @Override
    public boolean remove(Runnable task) {
        if (passthrough) {
            return super.remove(task);
        }
        boolean removed = queue.remove(task);
        tryTerminate();
        return removed;
    }

    @Override
    public void purge() {
        if (passthrough) {
            super.purge();
            return;
        }
        for (Runnable r : queue.toArray(new Runnable[0])) {
            if (r instanceof Future<?> f && f.isCancelled()) {
                queue.remove(r);
            }
        }
        tryTerminate();
    }

    /* --------------- Statistics --------------- */

    /**
     * The threads a ThreadPoolExecutor would have now: the runners in flight, or the core
     * threads it would keep idle once tasks had needed them (unless core threads time out);
     * 0 once terminated.
     */
    @Override
    public int getPoolSize() {
        if (passthrough) {
            return super.getPoolSize();
        }
        if (runState.get() >= TIDYING) {
            return 0;
        }
        int r = runners.get();
        return allowsCoreThreadTimeOut() ? r : Math.max(r, Math.min(started.get(), getCorePoolSize()));
    }

    /** Tasks running now. */
    @Override
    public int getActiveCount() {
        return passthrough ? super.getActiveCount() : tasks.active();
    }

    /** The most runners in flight at once (the most threads the JDK's pool would have had busy). */
    @Override
    public int getLargestPoolSize() {
        return passthrough ? super.getLargestPoolSize() : largestPoolSize();
    }

    @Override
    public long getTaskCount() {
        return passthrough ? super.getTaskCount() : tasks.completed() + tasks.active() + queue.size();
    }

    @Override
    public long getCompletedTaskCount() {
        return passthrough ? super.getCompletedTaskCount() : tasks.completed();
    }

    @Override
    public String toString() {
        if (passthrough) {
            return super.toString();
        }
        return getClass().getName() + '@' + Integer.toHexString(hashCode()) + '[' + runState.describe()
                + ", pool size = " + getPoolSize() + ", active threads = " + getActiveCount()
                + ", queued tasks = " + queue.size() + ", completed tasks = " + getCompletedTaskCount()
                + ", workqueue = " + wq.name() + ']';
    }
}
