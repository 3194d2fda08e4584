package dev.jwq.agent.boot;

import dev.jwq.DelayedWork;
import dev.jwq.Workqueue;
import dev.jwq.spi.FreshWork;
import dev.jwq.spi.ScheduledFutureTask;
import dev.jwq.spi.WorkCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code new ScheduledThreadPoolExecutor(...)} and {@code Executors.newScheduledThreadPool}
 * become under the agent, and what classes extending ScheduledThreadPoolExecutor are made to
 * extend: a {@link ScheduledThreadPoolExecutor} whose tasks wait on jwq's shared timer and run on
 * a jwq workqueue, with no thread of its own.
 *
 * <h2>Implementation overview</h2>
 *
 * <p><b>The queue owns a task.</b> Every scheduled task (after {@link #decorateTask}) sits in a
 * {@link DelayQueue}, which {@link #getQueue()} returns, until it starts. Arming it queues a jwq
 * delayed work item for its trigger time; when that fires, the item runs the task only if it
 * takes it off the queue, so a task removed meanwhile ({@link #remove}, {@link #purge}, cancel
 * with the remove-on-cancel policy, the shutdown policies, shutdownNow) never runs, and its timer
 * fires into nothing. A periodic task puts itself back and arms again after each run, as
 * ScheduledFutureTask does.
 *
 * <p><b>Concurrency:</b> the workqueue's max_active is the core pool size (at least 1), the
 * number of threads a ScheduledThreadPoolExecutor would run tasks on.
 *
 * <p><b>Lifecycle</b> is ScheduledThreadPoolExecutor's, with its three policies. TERMINATED
 * follows shutdown once the queue is empty (or stopping) and no firing item is between taking
 * its task and finishing it ({@code inFlight}); the superclass holds the settings only, its own
 * queue stays empty, so none of its methods can start a thread.
 *
 * <p><b>Left alone.</b> With a ThreadFactory that makes threads of its own Thread subclass
 * (RxJava's and Reactor's non-blocking schedulers, Netty), this executor is a plain
 * ScheduledThreadPoolExecutor: every method goes to the superclass, and the report says why.
 *
 * <p>Legend: I: final after construction; V: volatile or atomic.
 */
public class JwqScheduledThreadPoolExecutor extends ScheduledThreadPoolExecutor {
    private static final int RUNNING = RunState.RUNNING, SHUTDOWN = RunState.SHUTDOWN, STOP = RunState.STOP,
            TIDYING = RunState.TIDYING;
    private final String leftAlone;                   // I: why this is a plain ScheduledThreadPoolExecutor, or null
    private final DelayQueue<RunnableScheduledFuture<?>> queue = new DelayQueue<>(); // V: tasks not started
    private final Workqueue wq;                       // I: null when left alone
    private final ActiveTasks tasks;                  // I
    private final RunState runState = new RunState(); // I
    private final AtomicInteger inFlight = new AtomicInteger(); // V: firing items past their queue check
    private final AtomicInteger started = new AtomicInteger();  // V: threads the JDK's pool would have started

    public JwqScheduledThreadPoolExecutor(int corePoolSize, String site) {
        this(corePoolSize, Executors.defaultThreadFactory(), new AbortPolicy(), site, null);
    }

    public JwqScheduledThreadPoolExecutor(int corePoolSize, ThreadFactory threadFactory, String site) {
        this(corePoolSize, threadFactory, new AbortPolicy(), site, null);
    }

    public JwqScheduledThreadPoolExecutor(int corePoolSize, RejectedExecutionHandler handler, String site) {
        this(corePoolSize, Executors.defaultThreadFactory(), handler, site, null);
    }

    public JwqScheduledThreadPoolExecutor(int corePoolSize, ThreadFactory threadFactory,
                                          RejectedExecutionHandler handler, String site) {
        this(corePoolSize, threadFactory, handler, site, null);
    }

    /** {@code origin}: the JDK factory the application called, for the report; null for a constructor. */
    JwqScheduledThreadPoolExecutor(int corePoolSize, ThreadFactory threadFactory, RejectedExecutionHandler handler,
                                   String site, String origin) {
        super(corePoolSize, threadFactory, handler); // validates, in the JDK's order
        String made = Naming.origin(getClass(), JwqScheduledThreadPoolExecutor.class, "ScheduledThreadPoolExecutor",
                origin != null ? origin : "new ScheduledThreadPoolExecutor");
        FactoryProbe probe = FactoryProbe.of(threadFactory);
        this.leftAlone = probe.leaveAloneReason();
        this.tasks = new ActiveTasks(callbacks);
        if (leftAlone != null) {
            this.wq = null;
            AgentReport.leftAlone(site, made, leftAlone);
            return;
        }
        this.wq = probe.workqueue(Naming.of(probe, site)).maxActive(wqMaxActive(corePoolSize)).build();
        tasks.nameAfter(wq.name());
        tasks.reportTo(probe.failureHandler());
        AgentReport.created(site, made, wq.name());
    }

    private static int wqMaxActive(int core) {
        return Math.max(1, Math.min(JwqThreadPoolExecutor.WQ_MAX_ACTIVE, core));
    }

    /** The workqueue the tasks run on. */
    public Workqueue workqueue() {
        return wq;
    }

    /* --------------- Scheduling --------------- */

    /** A scheduled task: the runtime's ScheduledFutureTask with this executor's policies and queue. */
    private final class Task<V> extends ScheduledFutureTask<V> {
        RunnableScheduledFuture<V> outer = this; // the decorated task, re-queued after each periodic run

        Task(Runnable r, V result, long time, long period) {
            super(r, result, time, period);
        }

        Task(Callable<V> c, long time) {
            super(c, time);
        }

        @Override
        protected boolean canRunNow() {
            return canRunInCurrentRunState(this);
        }

        @Override
        protected void reschedule() {
            reExecutePeriodic(outer);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled && getRemoveOnCancelPolicy()) {
                remove(this);
            }
            return cancelled;
        }
    }

    private static long triggerTime(long delayNanos) {
        return ScheduledFutureTask.triggerTime(delayNanos);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (leftAlone != null) {
            return super.schedule(command, delay, unit);
        }
        if (command == null || unit == null) {
            throw new NullPointerException();
        }
        return delayedExecute(decorateTask(command, new Task<Void>(command, null, triggerTime(unit.toNanos(delay)), 0)));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        if (leftAlone != null) {
            return super.schedule(callable, delay, unit);
        }
        if (callable == null || unit == null) {
            throw new NullPointerException();
        }
        return delayedExecute(decorateTask(callable, new Task<V>(callable, triggerTime(unit.toNanos(delay)))));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (leftAlone != null) {
            return super.scheduleAtFixedRate(command, initialDelay, period, unit);
        }
        return periodic(command, initialDelay, period, unit, 1);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (leftAlone != null) {
            return super.scheduleWithFixedDelay(command, initialDelay, delay, unit);
        }
        return periodic(command, initialDelay, delay, unit, -1);
    }

    private ScheduledFuture<?> periodic(Runnable command, long initialDelay, long period, TimeUnit unit, int sign) {
        if (command == null || unit == null) {
            throw new NullPointerException();
        }
        if (period <= 0L) {
            throw new IllegalArgumentException();
        }
        Task<Void> t = new Task<>(command, null, triggerTime(unit.toNanos(initialDelay)), sign * unit.toNanos(period));
        RunnableScheduledFuture<Void> decorated = decorateTask(command, t);
        t.outer = decorated;
        return delayedExecute(decorated);
    }

    private <V> RunnableScheduledFuture<V> delayedExecute(RunnableScheduledFuture<V> task) {
        if (isShutdown()) {
            getRejectedExecutionHandler().rejectedExecution(task, this);
            return task;
        }
        queue.add(task);
        if (!canRunInCurrentRunState(task) && remove(task)) {
            task.cancel(false);
        } else {
            noteThreadStarted();
            arm(task);
        }
        return task;
    }

    private void reExecutePeriodic(RunnableScheduledFuture<?> task) {
        if (canRunInCurrentRunState(task)) {
            queue.add(task);
            if (canRunInCurrentRunState(task) || !remove(task)) {
                arm(task);
                return;
            }
        }
        task.cancel(false);
    }

    /** Queues a jwq delayed work item that runs {@code task} when due, if it still owns it then. */
    private void arm(RunnableScheduledFuture<?> task) {
        long delay = Math.max(0L, task.getDelay(TimeUnit.NANOSECONDS));
        // Never queued again, flushed or cancelled (the task leaves `queue` instead): kept unseen.
        FreshWork.queueDelayed(wq, new DelayedWork(new Fire(task)), Duration.ofNanos(delay));
    }

    /** The delayed item's function: {@link #fire} (a class, not a lambda: see {@link ActiveTasks.Owner}). */
    private final class Fire implements Runnable {
        private final RunnableScheduledFuture<?> task;

        Fire(RunnableScheduledFuture<?> task) {
            this.task = task;
        }

        @Override
        public void run() {
            fire(task);
        }
    }

    private void fire(RunnableScheduledFuture<?> task) {
        inFlight.incrementAndGet(); // before the queue check, so that tryTerminate sees one of the two
        try {
            if (queue.remove(task)) {
                tasks.run(task);
            }
        } finally {
            inFlight.decrementAndGet();
            tryTerminate();
        }
    }

    /** ScheduledThreadPoolExecutor starts a core thread per scheduled task until core (at least 1) run. */
    private void noteThreadStarted() {
        int limit = Math.max(1, getCorePoolSize());
        for (int s; (s = started.get()) < limit; ) {
            if (started.compareAndSet(s, s + 1)) {
                AgentReport.threadsAvoided(1);
                return;
            }
        }
    }

    private boolean canRunInCurrentRunState(RunnableScheduledFuture<?> task) {
        int s = runState.get();
        if (s == RUNNING) {
            return true;
        }
        if (s >= STOP) {
            return false;
        }
        return task.isPeriodic()
                ? getContinueExistingPeriodicTasksAfterShutdownPolicy()
                : getExecuteExistingDelayedTasksAfterShutdownPolicy() || task.getDelay(TimeUnit.NANOSECONDS) <= 0;
    }

    /* --------------- Lifecycle --------------- */

    @Override
    public void shutdown() {
        if (leftAlone != null) {
            super.shutdown();
            return;
        }
        runState.advance(SHUTDOWN);
        onShutdown();
    }

    /** Cancels and removes what the shutdown policies say may no longer run. */
    private void onShutdown() {
        boolean keepDelayed = getExecuteExistingDelayedTasksAfterShutdownPolicy();
        boolean keepPeriodic = getContinueExistingPeriodicTasksAfterShutdownPolicy();
        for (Object e : queue.toArray()) {
            RunnableScheduledFuture<?> t = (RunnableScheduledFuture<?>) e;
            boolean drop = t.isPeriodic() ? !keepPeriodic : !keepDelayed && t.getDelay(TimeUnit.NANOSECONDS) > 0;
            if ((drop || t.isCancelled()) && queue.remove(t)) {
                t.cancel(false);
            }
        }
        tryTerminate();
    }

    @Override
    public List<Runnable> shutdownNow() {
        if (leftAlone != null) {
            return super.shutdownNow();
        }
        runState.advance(STOP);
        wq.shutdownNow(); // drops the timers and interrupts the tasks running now, while they run
        List<Runnable> never = new ArrayList<>();
        for (Object e : queue.toArray()) {
            if (queue.remove(e)) {
                never.add((Runnable) e);
            }
        }
        tryTerminate();
        return never;
    }

    @Override
    public void setContinueExistingPeriodicTasksAfterShutdownPolicy(boolean value) {
        super.setContinueExistingPeriodicTasksAfterShutdownPolicy(value);
        if (leftAlone == null && !value && isShutdown()) {
            onShutdown();
        }
    }

    @Override
    public void setExecuteExistingDelayedTasksAfterShutdownPolicy(boolean value) {
        super.setExecuteExistingDelayedTasksAfterShutdownPolicy(value);
        if (leftAlone == null && !value && isShutdown()) {
            onShutdown();
        }
    }

    /** I: the executor's hooks for its tasks' runs and its termination, made once (not lambdas: {@link ActiveTasks.Owner}). */
    private final Callbacks callbacks = new Callbacks();

    private final class Callbacks implements ActiveTasks.Owner, RunState.Termination {
        @Override
        public void beforeExecute(Thread t, Runnable r) {
            JwqScheduledThreadPoolExecutor.this.beforeExecute(t, r);
        }

        @Override
        public void afterExecute(Runnable r, Throwable t) {
            JwqScheduledThreadPoolExecutor.this.afterExecute(r, t);
        }

        @Override
        public boolean stopping() {
            return runState.get() >= STOP;
        }

        @Override
        public boolean idle() {
            return inFlight.get() == 0 && (runState.get() >= STOP || queue.isEmpty());
        }

        @Override
        public void terminated() {
            JwqScheduledThreadPoolExecutor.this.terminated();
        }
    }

    /** Terminates once shut down, no firing item holds a task and (unless stopping) the queue is empty. */
    private void tryTerminate() {
        if (runState.tryTerminate(callbacks)) {
            wq.shutdownNow(); // drops the timers of tasks that were removed before they fired
        }
    }

    @Override
    public boolean isShutdown() {
        return leftAlone != null ? super.isShutdown() : runState.isShutdown();
    }

    @Override
    public boolean isTerminating() {
        return leftAlone != null ? super.isTerminating() : runState.isTerminating();
    }

    @Override
    public boolean isTerminated() {
        return leftAlone != null ? super.isTerminated() : runState.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return leftAlone != null ? super.awaitTermination(timeout, unit) : runState.awaitTermination(timeout, unit);
    }

    /* --------------- Settings and queue maintenance --------------- */

    @Override
    public void setCorePoolSize(int corePoolSize) {
        super.setCorePoolSize(corePoolSize); // validates; the superclass's queue is empty: no thread starts
        if (leftAlone == null) {
            wq.setMaxActive(wqMaxActive(corePoolSize));
        }
    }

    /**
     * Kept (the workqueue keeps the name the first factory gave it); a task failing from now on
     * reaches the handler of the new factory's threads, as it does in the JDK, whose threads made
     * from now on are the new factory's (it reached the first factory's handler).
     */
    @Override
    public void setThreadFactory(ThreadFactory threadFactory) {
        super.setThreadFactory(threadFactory); // validates
        if (leftAlone == null) {
            tasks.reportTo(FactoryProbe.of(threadFactory).failureHandler());
        }
    }

    /**
     * No thread is started: jwq's workers are shared and already there. The core thread the JDK
     * would start (fewer than core started, not shut down) is counted, so that this returns what
     * the JDK's does and getPoolSize() counts it (it returned false, and prestartAllCoreThreads() 0).
     */
    @Override
    public boolean prestartCoreThread() {
        if (leftAlone != null) {
            return super.prestartCoreThread();
        }
        int core = getCorePoolSize();
        for (int s; runState.get() < SHUTDOWN && (s = started.get()) < core; ) {
            if (started.compareAndSet(s, s + 1)) {
                AgentReport.threadsAvoided(1);
                return true;
            }
        }
        return false;
    }

    @Override
    public int prestartAllCoreThreads() {
        if (leftAlone != null) {
            return super.prestartAllCoreThreads();
        }
        int n = 0;
        while (prestartCoreThread()) {
            n++;
        }
        return n;
    }

    @Override
    @SuppressWarnings("unchecked")
    public BlockingQueue<Runnable> getQueue() {
        return leftAlone != null ? super.getQueue() : (BlockingQueue<Runnable>) (BlockingQueue<?>) queue;
    }

    @Override
    public boolean remove(Runnable task) {
        if (leftAlone != null) {
            return super.remove(task);
        }
        boolean removed = queue.remove(task);
        tryTerminate();
        return removed;
    }

    @Override
    public void purge() {
        if (leftAlone != null) {
            super.purge();
            return;
        }
        for (Object e : queue.toArray()) {
            if (e instanceof Future<?> f && f.isCancelled()) {
                queue.remove(e);
            }
        }
        tryTerminate();
    }

    /* --------------- Statistics --------------- */

    /** The threads a ScheduledThreadPoolExecutor would have: one per task scheduled, up to core (at least 1). */
    @Override
    public int getPoolSize() {
        return leftAlone != null ? super.getPoolSize() : runState.get() >= TIDYING ? 0 : started.get();
    }

    @Override
    public int getLargestPoolSize() {
        return leftAlone != null ? super.getLargestPoolSize() : started.get();
    }

    /**
     * Tasks running now, counted by the workqueue when asked (nothing is counted per task for it);
     * none once terminated: a task's item still runs for an instant after the task ended and was
     * counted completed, while the JDK's workers are gone by the time awaitTermination returns.
     */
    private int active() {
        return runState.isTerminated() ? 0 : WorkCounts.running(wq);
    }

    @Override
    public int getActiveCount() {
        return leftAlone != null ? super.getActiveCount() : active();
    }

    @Override
    public long getTaskCount() {
        return leftAlone != null ? super.getTaskCount() : tasks.completed() + active() + queue.size();
    }

    @Override
    public long getCompletedTaskCount() {
        return leftAlone != null ? super.getCompletedTaskCount() : tasks.completed();
    }

    /** ScheduledThreadPoolExecutor's format, as JwqThreadPoolExecutor's (the workqueue is {@link #workqueue()}). */
    @Override
    public String toString() {
        if (leftAlone != null) {
            return Naming.className(getClass(), JwqScheduledThreadPoolExecutor.class, ScheduledThreadPoolExecutor.class)
                    + super.toString().substring(getClass().getName().length());
        }
        return Naming.className(getClass(), JwqScheduledThreadPoolExecutor.class, ScheduledThreadPoolExecutor.class) + '@'
                + Integer.toHexString(hashCode()) + '[' + runState.describe()
                + ", pool size = " + getPoolSize() + ", active threads = " + getActiveCount()
                + ", queued tasks = " + queue.size() + ", completed tasks = " + getCompletedTaskCount() + ']';
    }
}
