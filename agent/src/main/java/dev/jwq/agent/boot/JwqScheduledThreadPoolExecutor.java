package dev.jwq.agent.boot;

import dev.jwq.DelayedWork;
import dev.jwq.Workqueue;
import dev.jwq.WqFlag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What {@code new ScheduledThreadPoolExecutor(...)} and {@code Executors.newScheduledThreadPool}
 * become under the agent: a {@link ScheduledThreadPoolExecutor} whose tasks wait on jwq's shared
 * timer and run on a jwq workqueue, with no thread of its own.
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
 * <p>Legend: I: final after construction; V: volatile or atomic.
 */
public class JwqScheduledThreadPoolExecutor extends ScheduledThreadPoolExecutor {
    private static final int RUNNING = RunState.RUNNING, SHUTDOWN = RunState.SHUTDOWN, STOP = RunState.STOP,
            TIDYING = RunState.TIDYING;
    private static final AtomicLong SEQUENCER = new AtomicLong(); // V: FIFO among equal trigger times

    private final DelayQueue<RunnableScheduledFuture<?>> queue = new DelayQueue<>(); // V: tasks not started
    private final Workqueue wq;                       // I
    private final ActiveTasks tasks;                  // I
    private final RunState runState = new RunState(); // I
    private final AtomicInteger inFlight = new AtomicInteger(); // V: firing items past their queue check
    private final AtomicInteger started = new AtomicInteger();  // V: threads the JDK's pool would have started

    public JwqScheduledThreadPoolExecutor(int corePoolSize, String site) {
        this(corePoolSize, Executors.defaultThreadFactory(), new AbortPolicy(), site, "new ScheduledThreadPoolExecutor");
    }

    public JwqScheduledThreadPoolExecutor(int corePoolSize, ThreadFactory threadFactory, String site) {
        this(corePoolSize, threadFactory, new AbortPolicy(), site, "new ScheduledThreadPoolExecutor");
    }

    public JwqScheduledThreadPoolExecutor(int corePoolSize, RejectedExecutionHandler handler, String site) {
        this(corePoolSize, Executors.defaultThreadFactory(), handler, site, "new ScheduledThreadPoolExecutor");
    }

    public JwqScheduledThreadPoolExecutor(int corePoolSize, ThreadFactory threadFactory,
                                          RejectedExecutionHandler handler, String site) {
        this(corePoolSize, threadFactory, handler, site, "new ScheduledThreadPoolExecutor");
    }

    JwqScheduledThreadPoolExecutor(int corePoolSize, ThreadFactory threadFactory, RejectedExecutionHandler handler,
                                   String site, String origin) {
        super(corePoolSize, threadFactory, handler); // validates, in the JDK's order
        this.tasks = new ActiveTasks(this::beforeExecute, this::afterExecute, () -> runState.get() >= STOP);
        this.wq = Workqueue.builder(Naming.of(threadFactory, Naming.shortSite(site)))
                .flags(WqFlag.UNBOUND).maxActive(wqMaxActive(corePoolSize)).build();
        AgentReport.created(site, origin, wq.name());
    }

    private static int wqMaxActive(int core) {
        return Math.max(1, Math.min(2048, core));
    }

    /** The workqueue the tasks run on. */
    public Workqueue workqueue() {
        return wq;
    }

    /* --------------- Scheduling --------------- */

    /** ScheduledFutureTask's twin: a task with a trigger time, a period and a FIFO sequence number. */
    private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
        private final long sequenceNumber = SEQUENCER.getAndIncrement();
        private volatile long time;       // V: nanoTime at which it is due
        private final long period;        // >0 fixed rate, <0 fixed delay, 0 one-shot
        RunnableScheduledFuture<V> outer = this; // the decorated task, re-queued after each periodic run

        Task(Runnable r, V result, long time, long period) {
            super(r, result);
            this.time = time;
            this.period = period;
        }

        Task(Callable<V> c, long time) {
            super(c);
            this.time = time;
            this.period = 0;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(time - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            if (other == this) {
                return 0;
            }
            if (other instanceof Task<?> x) {
                long diff = time - x.time;
                return diff < 0 ? -1 : diff > 0 ? 1 : sequenceNumber < x.sequenceNumber ? -1 : 1;
            }
            long diff = getDelay(TimeUnit.NANOSECONDS) - other.getDelay(TimeUnit.NANOSECONDS);
            return diff < 0 ? -1 : diff > 0 ? 1 : 0;
        }

        @Override
        public boolean isPeriodic() {
            return period != 0;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled && getRemoveOnCancelPolicy()) {
                remove(this);
            }
            return cancelled;
        }

        @Override
        public void run() {
            if (!canRunInCurrentRunState(this)) {
                cancel(false);
            } else if (!isPeriodic()) {
                super.run();
            } else if (super.runAndReset()) {
                time = period > 0 ? time + period : triggerTime(-period);
                reExecutePeriodic(outer);
            }
        }
    }

    private static long triggerTime(long delayNanos) {
        long d = Math.max(0L, delayNanos);
        return System.nanoTime() + Math.min(d, Long.MAX_VALUE >> 1); // beyond ~146 years is "never"
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (command == null || unit == null) {
            throw new NullPointerException();
        }
        return delayedExecute(decorateTask(command, new Task<Void>(command, null, triggerTime(unit.toNanos(delay)), 0)));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        if (callable == null || unit == null) {
            throw new NullPointerException();
        }
        return delayedExecute(decorateTask(callable, new Task<V>(callable, triggerTime(unit.toNanos(delay)))));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return periodic(command, initialDelay, period, unit, 1);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
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
        wq.queueDelayed(new DelayedWork(() -> fire(task)), Duration.ofNanos(delay));
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
        runState.advance(STOP);
        tasks.interruptAll();
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
        if (!value && isShutdown()) {
            onShutdown();
        }
    }

    @Override
    public void setExecuteExistingDelayedTasksAfterShutdownPolicy(boolean value) {
        super.setExecuteExistingDelayedTasksAfterShutdownPolicy(value);
        if (!value && isShutdown()) {
            onShutdown();
        }
    }

    /** Terminates once shut down, no firing item holds a task and (unless stopping) the queue is empty. */
    private void tryTerminate() {
        BooleanSupplier idle = () -> inFlight.get() == 0 && (runState.get() >= STOP || queue.isEmpty());
        if (runState.tryTerminate(idle, this::terminated)) {
            wq.shutdownNow(); // drops the timers of tasks that were removed before they fired
        }
    }

    @Override
    public boolean isShutdown() {
        return runState.isShutdown();
    }

    @Override
    public boolean isTerminating() {
        return runState.isTerminating();
    }

    @Override
    public boolean isTerminated() {
        return runState.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return runState.awaitTermination(timeout, unit);
    }

    /* --------------- Settings and queue maintenance --------------- */

    @Override
    public void setCorePoolSize(int corePoolSize) {
        super.setCorePoolSize(corePoolSize); // validates; the superclass's queue is empty: no thread starts
        wq.setMaxActive(wqMaxActive(corePoolSize));
    }

    /** No thread is started: jwq's workers are shared and already there. */
    @Override
    public boolean prestartCoreThread() {
        return false;
    }

    @Override
    public int prestartAllCoreThreads() {
        return 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public BlockingQueue<Runnable> getQueue() {
        return (BlockingQueue<Runnable>) (BlockingQueue<?>) queue;
    }

    @Override
    public boolean remove(Runnable task) {
        boolean removed = queue.remove(task);
        tryTerminate();
        return removed;
    }

    @Override
    public void purge() {
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
        return runState.get() >= TIDYING ? 0 : started.get();
    }

    @Override
    public int getLargestPoolSize() {
        return started.get();
    }

    @Override
    public int getActiveCount() {
        return tasks.active();
    }

    @Override
    public long getTaskCount() {
        return tasks.completed() + tasks.active() + queue.size();
    }

    @Override
    public long getCompletedTaskCount() {
        return tasks.completed();
    }

    @Override
    public String toString() {
        return getClass().getName() + '@' + Integer.toHexString(hashCode()) + '[' + runState.describe()
                + ", pool size = " + getPoolSize() + ", active threads = " + getActiveCount()
                + ", queued tasks = " + queue.size() + ", completed tasks = " + getCompletedTaskCount()
                + ", workqueue = " + wq.name() + ']';
    }
}
