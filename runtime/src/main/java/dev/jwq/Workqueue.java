package dev.jwq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import dev.jwq.timer.Timer;

/**
 * A named workqueue ({@code struct workqueue_struct}, {@code alloc_workqueue}): the interface
 * through which work items reach the shared worker pools. It is also an
 * {@link java.util.concurrent.ExecutorService} and a {@link ScheduledExecutorService}:
 * {@code execute}, {@code submit} and {@code schedule} queue one-shot work items.
 *
 * <pre>{@code
 * Workqueue wq = Workqueue.builder("kblockd").flags(WqFlag.MEM_RECLAIM, WqFlag.HIGHPRI).build();
 * Work w = new Work(() -> runQueue());
 * wq.queue(w);
 * wq.close();   // drains, then releases the workqueue
 * }</pre>
 */
public final class Workqueue extends AbstractExecutorService implements ScheduledExecutorService {

    /*
     * Implementation overview.
     *
     * Routing (PwqSet, PwqRouting). A per-CPU workqueue has one PoolWorkqueue
     * per usable CPU, linked to that CPU's bound pool (normal or high priority) when an item is
     * first queued there (both made then: nothing per CPU up front); an unbound one has
     * one pwq per pod of its affinity scope, each on the unbound pool shared by all unbound
     * workqueues with equal attributes. queue picks the caller's CPU's pwq, except that an
     * item still running on a worker of this workqueue goes to the pwq it runs in, so that it never
     * overlaps itself (__queue_work).
     *
     * Changing attributes (applyAttributes, apply_workqueue_attrs): new
     * pwqs are built and the routing replaced whole; the old pwqs are retired: they take no new
     * items, finish what they hold, and are released (their pool references dropped) once idle.
     * An ordered workqueue's new pwq is plugged until every older one is released, so its items
     * still run one at a time in queueing order.
     *
     * max_active is applied per pwq for a per-CPU workqueue, and across all pwqs of an
     * unbound one (UnboundActive): items beyond it wait in their pwq in FIFO order and are
     * activated one by one as active ones finish (PoolWorkqueue's overview).
     *
     * Queueing takes no lock: the item is counted in flight by its pwq, then checked against
     * what drain, shutdown and attribute changes refuse (they change that, then read the
     * count), then pushed on the pwq's lock-free queue (insertOwned).
     *
     * Flush and drain. flush() uses 16 flush colors (see
     * WorkqueueFlusher). drain() marks every pwq as refusing queueing from outside
     * the workqueue's own items, and flushes until nothing is in flight.
     *
     * Lifecycle (Lifecycle): RUNNING -> SHUTDOWN on shutdown(): every pwq
     * refuses outside queueing, queued and delayed one-shot items still run, periodic tasks stop
     * (ScheduledThreadPoolExecutor's defaults). SHUTDOWN -> STOP on shutdownNow():
     * pending items and timers are taken off and returned, running ones interrupted. SHUTDOWN/STOP
     * -> TERMINATED when no pwq has an item in flight and no timer is armed. The transition is
     * checked wherever one of those two counts reaches zero. The system workqueues are shared by
     * the whole process and, like ForkJoinPool.commonPool(), ignore shutdown.
     *
     * Field tags: the package legend (package-info); W is this workqueue's mutex.
     */
    private static final System.Logger LOG = Log.LOG;

    /** {@code WQ_MAX_ACTIVE}. */
    static final int MAX_ACTIVE = 2048;
    /** {@code WQ_DFL_ACTIVE}: max_active when 0 is given. */
    static final int DEFAULT_ACTIVE = 1024;

    private static final int RUNNING = Lifecycle.RUNNING, SHUTDOWN = Lifecycle.SHUTDOWN, STOP = Lifecycle.STOP;

    /** Who is queueing, for the refusal rules of drain and shutdown. */
    private enum Source {
        /** Any caller: refused while draining or shut down, unless chained from our own items. */
        CALLER,
        /** A caller that passed the early check and took a pending instance off (modDelayed). */
        ADMITTED,
        /** A delayed item's timer: admitted until shutdownNow, then handed to it. */
        TIMER
    }

    private final String name;                            // I
    private final Set<WqFlag> flags;                      // I (unmodifiable)
    final boolean unbound, ordered, cpuIntensive;         // I
    private final boolean highPri, system;                // I
    /** I: its items and timers do not keep the JVM alive, as a daemon ThreadFactory's threads do not. */
    private final boolean daemon;
    /** I: its pool workqueues and where new items go ({@code wq->pwqs}, {@code wq->cpu_pwq}). */
    final PwqSet pwqs;
    final WorkqueueFlusher flusher;                       // I
    private final Thread.UncaughtExceptionHandler failureHandler; // I: null = the worker thread's
    /** I: the MEM_RECLAIM workqueue's rescuer ({@code wq->rescuer}), or null. */
    final Rescuer rescuer;

    private final ReentrantLock mutex = new ReentrantLock(); // wq->mutex: lifecycle, drain, max_active
    private int maxActive;                                // W: as set; the pwqs get 0 while frozen
    private boolean frozen;                               // W: FREEZABLE and frozen
    private int nrDrainers;                               // W
    /** V: RUNNING -&gt; SHUTDOWN -&gt; STOP -&gt; TERMINATED, each step one CAS ({@link Lifecycle}). */
    private final Lifecycle lifecycle = new Lifecycle();
    private volatile boolean draining;                    // V: written under W; nrDrainers > 0
    private final ConcurrentLinkedQueue<DelayedWork> droppedInTransit = new ConcurrentLinkedQueue<>(); // V: fired after shutdownNow
    /** V: items whose timer runs, keyed by that timer: identity, whatever equals a user's subclass defines. */
    private final ConcurrentHashMap<Timer, DelayedWork> armed = new ConcurrentHashMap<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** V: the action registered to run once this workqueue terminates ({@link #whenTerminated}), until it fires. */
    private final AtomicReference<TerminationAction> onTerminated = new AtomicReference<>();

    private Workqueue(Builder b, int maxActive) {
        this.name = b.name;
        this.flags = Collections.unmodifiableSet(EnumSet.copyOf(b.flags));
        this.ordered = b.ordered;
        this.unbound = b.ordered || b.flags.contains(WqFlag.UNBOUND);
        this.highPri = b.flags.contains(WqFlag.HIGHPRI);
        this.cpuIntensive = b.flags.contains(WqFlag.CPU_INTENSIVE);
        this.system = b.system;
        this.daemon = b.daemon;
        this.failureHandler = b.failureHandler;
        this.maxActive = maxActive;
        this.flusher = new WorkqueueFlusher(this);
        // The rescuer first: a workqueue whose forward-progress guarantee cannot be set up is
        // refused before it takes any pool reference (alloc_workqueue fails likewise).
        this.rescuer = b.flags.contains(WqFlag.MEM_RECLAIM) ? startRescuer() : null;
        this.pwqs = unbound
                ? PwqSet.unbound(this, mutex, resolve(new UnboundAttributes(highPri, Cpus.usableCpus(), b.scope, b.strict)), maxActive)
                : PwqSet.perCpu(this, mutex, highPri, maxActive);
    }

    /**
     * Starts building a workqueue called {@code name}.
     *
     * @param name its name: shown in thread dumps, events and MXBeans; not blank
     * @return a builder with no flags and the default max_active
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /* --------------- Public API: identity --------------- */

    /**
     * The name given to {@link #builder(String)}.
     *
     * @return the workqueue's name
     */
    public String name() {
        return name;
    }

    /**
     * The flags it was built with, {@code PERCPU} or {@code UNBOUND} among them.
     *
     * @return an unmodifiable set of its flags
     */
    public Set<WqFlag> flags() {
        return flags;
    }

    /**
     * Whether it was built {@link Builder#ordered() ordered}: one item at a time, in queueing order.
     *
     * @return true for an ordered workqueue
     */
    public boolean isOrdered() {
        return ordered;
    }

    /**
     * The current max_active (per CPU for a per-CPU workqueue).
     *
     * @return its max_active
     */
    public int maxActive() {
        mutex.lock();
        try {
            return maxActive;
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public String toString() {
        return "Workqueue[" + name + "]";
    }

    /* --------------- Public API: queueing --------------- */

    /**
     * Queues {@code work} on the caller's CPU ({@code queue_work}). On a per-CPU workqueue, a
     * thread that is not one of jwq's workers keeps its own CPU busy, so its item goes to a
     * nearby CPU whose pool is idle, if there is one (use {@link #queueOn} to name the CPU).
     *
     * @param work the item to queue
     * @return true if queued, false if it was already pending or is disabled
     * @throws NullPointerException if work is null
     * @throws RejectedExecutionException if the workqueue is shut down or draining and the
     *         caller is not one of its own items
     */
    public boolean queue(Work work) {
        Objects.requireNonNull(work, "work is null");
        return queueAt(Cpus.ANY, work);
    }

    /**
     * Queues {@code work} on CPU {@code cpu} ({@code queue_work_on}). For an unbound workqueue
     * the CPU is checked and otherwise only a hint.
     *
     * @param cpu the CPU whose pool runs it
     * @param work the item to queue
     * @throws IllegalArgumentException if the process may not use {@code cpu}
     * @return true if queued, false if it was already pending or is disabled
     */
    public boolean queueOn(int cpu, Work work) {
        Objects.requireNonNull(work, "work is null");
        return queueAt(cpuIndex(cpu), work);
    }

    /**
     * Queues {@code work} after {@code delay} ({@code queue_delayed_work}); a zero or negative
     * delay queues it at once.
     *
     * @param work the item to queue
     * @param delay how long from now
     * @return true if it became pending, false if it already was or is disabled
     */
    public boolean queueDelayed(DelayedWork work, Duration delay) {
        Objects.requireNonNull(work, "work is null");
        return queueDelayedAt(Cpus.ANY, work, nanos(delay));
    }

    /**
     * {@link #queueDelayed} on CPU {@code cpu} ({@code queue_delayed_work_on}).
     *
     * @param cpu the CPU whose pool runs it
     * @param work the item to queue
     * @param delay how long from now
     * @return true if it became pending, false if it already was or is disabled
     */
    public boolean queueDelayedOn(int cpu, DelayedWork work, Duration delay) {
        Objects.requireNonNull(work, "work is null");
        return queueDelayedAt(cpuIndex(cpu), work, nanos(delay));
    }

    /**
     * Re-arms {@code work} to run after {@code delay} whether or not it is pending
     * ({@code mod_delayed_work}). A disabled item is only cancelled.
     *
     * @param work the item to run
     * @param delay how long from now
     * @return true if it was pending (and has been re-armed), false if it was idle (and has
     *         been queued)
     */
    public boolean modDelayed(DelayedWork work, Duration delay) {
        Objects.requireNonNull(work, "work is null");
        long nanos = nanos(delay);
        int cpu = Cpus.ANY;
        checkAccepting();
        boolean wasPending = work.grabPending() == Work.GRAB_WAS_PENDING;
        if (work.isDisabled()) {
            work.abortQueue();
            return wasPending;
        }
        // Admitted: we passed the check above, and a pending instance we took off must not be
        // lost to a drain or shutdown that started since.
        queueOwnedDelayed(cpu, work, nanos, Source.ADMITTED);
        return wasPending;
    }

    /* --------------- Public API: flush, drain, tuning --------------- */

    /** Waits until every item queued before this call has finished ({@code flush_workqueue}). */
    public void flush() {
        flusher.flush();
    }

    /**
     * Waits until the workqueue is empty, refusing meanwhile any queueing that does not come from
     * its own items ({@code drain_workqueue}); chained items are waited for too.
     */
    public void drain() {
        mutex.lock();
        try {
            if (nrDrainers++ == 0) {
                draining = true;
                setRefuseExternal(true);
            }
        } finally {
            mutex.unlock();
        }
        try {
            do {
                flusher.flush();
            } while (pwqs.isBusy());
        } finally {
            mutex.lock();
            try {
                if (--nrDrainers == 0) {
                    draining = false;
                    if (lifecycle.get() == RUNNING) {
                        setRefuseExternal(false);
                    }
                }
            } finally {
                mutex.unlock();
            }
        }
    }

    /**
     * Changes max_active ({@code workqueue_set_max_active}); 0 means the default (1024), values
     * above 2048 are clamped with a warning.
     *
     * @param maxActive the new max_active
     * @throws IllegalArgumentException if {@code maxActive < 0}
     * @throws IllegalStateException on an ordered workqueue
     */
    public void setMaxActive(int maxActive) {
        if (ordered) {
            throw new IllegalStateException("setMaxActive on ordered workqueue " + name + ": its max_active is fixed at 1");
        }
        int n = checkMaxActive(name, maxActive);
        mutex.lock();
        try {
            this.maxActive = n;
            applyMaxActive();
        } finally {
            mutex.unlock();
        }
    }

    /** W: gives every pwq the max_active in force: 0 while frozen ({@code wq_adjust_max_active}). */
    private void applyMaxActive() {
        assert mutex.isHeldByCurrentThread();
        pwqs.setMaxActive(frozen ? 0 : maxActive);
    }

    /**
     * Freezes or thaws a FREEZABLE workqueue ({@code freeze_workqueues_begin} /
     * {@code thaw_workqueues}): frozen, it activates nothing new, so queued items wait on the
     * inactive lists; items already active still finish. Thawing runs the backlog in order.
     */
    void setFrozen(boolean freeze) {
        assert flags.contains(WqFlag.FREEZABLE);
        mutex.lock();
        try {
            if (frozen != freeze) {
                frozen = freeze;
                applyMaxActive();
            }
        } finally {
            mutex.unlock();
        }
    }

    /** Whether it is FREEZABLE and frozen now. */
    boolean isFrozen() {
        mutex.lock();
        try {
            return frozen;
        } finally {
            mutex.unlock();
        }
    }

    /* --------------- Public API: attributes of an unbound workqueue --------------- */

    /**
     * An unbound workqueue's attributes now: priority, CPUs, affinity scope (resolved, never
     * {@code DEFAULT}; an ordered workqueue's is {@code SYSTEM}) and strictness.
     *
     * @throws IllegalStateException on a per-CPU workqueue
     * @return its attributes
     */
    public UnboundAttributes unboundAttributes() {
        UnboundAttributes attrs = pwqs.routing().attrs;
        if (attrs == null) {
            throw notUnbound();
        }
        return attrs;
    }

    /**
     * Changes an unbound workqueue's attributes ({@code apply_workqueue_attrs}). Items queued
     * from now on go to new pool workqueues on the pools of the new attributes; items already
     * queued finish where they are, and the old pwqs are released once they have drained.
     * max_active keeps counting across old and new pwqs; an ordered workqueue keeps running its
     * items one at a time in queueing order across the change. Applying the attributes it has
     * already changes nothing.
     *
     * @param attrs the new attributes, usually {@code unboundAttributes().with...(...)}
     * @throws NullPointerException if {@code attrs} is null
     * @throws IllegalStateException on a per-CPU workqueue, or once it is shut down
     * @throws IllegalArgumentException if a CPU is not usable by this process, or an ordered
     *         workqueue is given an affinity scope other than {@code SYSTEM} or {@code DEFAULT}
     */
    public void applyAttributes(UnboundAttributes attrs) {
        Objects.requireNonNull(attrs, "attributes are null");
        if (!unbound) {
            throw notUnbound();
        }
        UnboundAttributes resolved = resolve(attrs);
        mutex.lock();
        try {
            if (lifecycle.get() != RUNNING) {
                throw new IllegalStateException("workqueue " + name + " is shut down: its attributes can no longer change");
            }
            if (resolved.equals(pwqs.routing().attrs)) {
                return;
            }
            int n = frozen ? 0 : maxActive;
            int color = flusher.lockWorkColor();
            try {
                // Under the flush mutex: no flush moves the colors on meanwhile (link_pwq).
                pwqs.replace(resolved, color, n, ordered, draining);
            } finally {
                flusher.unlockWorkColor();
            }
        } finally {
            mutex.unlock();
        }
    }

    private IllegalStateException notUnbound() {
        return new IllegalStateException("workqueue " + name + " is per-CPU: only an unbound workqueue has attributes");
    }

    /** Checks {@code attrs} against this workqueue and the usable CPUs, and resolves the DEFAULT scope. */
    private UnboundAttributes resolve(UnboundAttributes attrs) {
        List<Integer> unusable = new ArrayList<>(); // a loop, not a stream: no lambda on the first workqueue's path
        for (int cpu : attrs.cpus()) {
            if (Cpus.indexOf(cpu) < 0) {
                unusable.add(cpu);
            }
        }
        if (!unusable.isEmpty()) {
            throw new IllegalArgumentException("workqueue " + name + ": CPUs " + unusable
                    + " are not usable by this process (usable: " + Cpus.describe() + ")");
        }
        AffinityScope scope = attrs.affinityScope();
        if (ordered) {
            if (scope != AffinityScope.DEFAULT && scope != AffinityScope.SYSTEM) {
                throw new IllegalArgumentException("workqueue " + name
                        + " is ordered: it has one pool workqueue, so its affinity scope is SYSTEM, not " + scope);
            }
            return attrs.withAffinityScope(AffinityScope.SYSTEM);
        }
        return scope == AffinityScope.DEFAULT ? attrs.withAffinityScope(Settings.CURRENT.defaultAffinityScope()) : attrs;
    }

    /** The wq_monitor counters summed over every pwq this workqueue has had. */
    PwqCounters counters() {
        return pwqs.counters();
    }

    /** Items counted toward max_active now and items held back, over every live pwq: {active, inactive}. */
    int[] activeAndInactive() {
        return pwqs.activeAndInactive();
    }

    /** An unbound workqueue's resolved affinity scope, else null. */
    AffinityScope scope() {
        UnboundAttributes attrs = pwqs.routing().attrs;
        return attrs == null ? null : attrs.affinityScope();
    }

    boolean strict() {
        UnboundAttributes attrs = pwqs.routing().attrs;
        return attrs != null && attrs.strict();
    }

    /** Whether any item is still active (on a worklist or running) in a pwq ({@code freeze_workqueues_busy}). */
    boolean hasActiveItems() {
        return pwqs.hasActiveItems();
    }

    /* --------------- ExecutorService --------------- */

    @Override
    protected <T> java.util.concurrent.RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new NamedFutureTask<>(runnable, value);
    }

    @Override
    protected <T> java.util.concurrent.RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new NamedFutureTask<>(callable);
    }

    /**
     * Queues {@code task} as a new one-shot work item. An exception it throws is reported to the
     * worker's uncaught exception handler (or the one of the ThreadFactory this workqueue was
     * made from) and never kills the worker.
     */
    @Override
    public void execute(Runnable task) {
        queueFresh(new Work(Objects.requireNonNull(task, "task is null")));
    }

    /**
     * Queues {@code w}, an item its caller has just made and keeps to itself: owned by a plain
     * store rather than a CAS, and unseen (see Work, "Unseen items"). For {@link #execute} and
     * the SPI's {@code FreshWork} (an agent's one-shot items).
     */
    void queueFresh(Work w) {
        checkAccepting();
        w.spPendingFresh();
        insertOwned(Cpus.ANY, w, Source.CALLER);
    }

    /** {@link #queueFresh} after {@code delay}, as {@link #queueDelayed}: for the SPI's {@code FreshWork}. */
    void queueDelayedFresh(DelayedWork w, Duration delay) {
        long n = nanos(delay);
        checkAccepting();
        w.spPendingFresh();
        queueOwnedDelayed(Cpus.ANY, w, n, Source.CALLER);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command is null");
        return schedule(new ScheduledTask<Void>(this, command, null, delay, unit, 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable is null");
        return schedule(new ScheduledTask<>(this, callable, delay, unit));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(command, "command is null");
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return schedule(new ScheduledTask<Void>(this, command, null, initialDelay, unit, unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command is null");
        if (delay <= 0) {
            throw new IllegalArgumentException("delay must be positive: " + delay);
        }
        return schedule(new ScheduledTask<Void>(this, command, null, initialDelay, unit, -unit.toNanos(delay)));
    }

    private <V> ScheduledTask<V> schedule(ScheduledTask<V> task) {
        queueDelayedAt(Cpus.ANY, task.work, task.getDelay(TimeUnit.NANOSECONDS));
        return task;
    }

    /**
     * Stops accepting new work; everything queued still runs, delayed one-shot items run when
     * due and periodic tasks stop. No effect on the system workqueues.
     */
    @Override
    public void shutdown() {
        if (system) {
            return;
        }
        shutdown(true);
    }

    /**
     * RUNNING -&gt; SHUTDOWN; periodic tasks are cancelled unless {@code shutdownNow} is about to
     * take them off and return them.
     */
    private void shutdown(boolean cancelPeriodic) {
        mutex.lock();
        try {
            if (lifecycle.shutdown()) {
                setRefuseExternal(true);
            }
        } finally {
            mutex.unlock();
        }
        if (cancelPeriodic) {
            for (DelayedWork d : armed.values()) {
                if (d.fn instanceof ScheduledTask<?> t && t.isPeriodic()) {
                    t.cancel(false);
                }
            }
        }
        tryTerminate();
    }

    /**
     * Shuts down, takes every pending item and armed timer off, interrupts the items running,
     * and returns the functions of the items that never started. No effect on the system
     * workqueues.
     */
    @Override
    public List<Runnable> shutdownNow() {
        if (system) {
            return List.of();
        }
        shutdown(false);
        // From here nothing is admitted, not even chained queueing or a firing timer. A CAS: a
        // termination that happened meanwhile stays (it is never turned back into STOP).
        lifecycle.stop();
        List<Runnable> never = new ArrayList<>();
        // Everything pending first, in every pwq, and only then the interrupts: an interrupted
        // item that ends frees a max_active slot, which across pods (UnboundActive) could start
        // an item of a pwq not yet emptied.
        pwqs.forEachLocked(pwq -> pwq.pool.takePending(pwq, never));
        // Items a worker set aside unrun after STOP, which no queuer took back (see insertOwned).
        for (Work w; (w = droppedAfterStop.poll()) != null; ) {
            never.add(w.fn);
        }
        pwqs.forEachLocked(pwq -> pwq.pool.interruptRunning(pwq));
        for (DelayedWork d : armed.values()) {
            if (d.disarm()) {
                d.abortQueue();
                never.add(d.fn);
            } else {
                d.awaitTimerCallback(); // firing now: queueFromTimer hands it to droppedInTransit
            }
        }
        for (DelayedWork d; (d = droppedInTransit.poll()) != null; ) {
            never.add(d.fn);
        }
        tryTerminate();
        return never;
    }

    @Override
    public boolean isShutdown() {
        return lifecycle.get() >= SHUTDOWN;
    }

    @Override
    public boolean isTerminated() {
        return lifecycle.get() == Lifecycle.TERMINATED;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /**
     * Shuts down and waits until every item has run ({@code destroy_workqueue}). If interrupted
     * while waiting it cancels what is pending ({@link #shutdownNow()}) and keeps waiting, as
     * {@link java.util.concurrent.ExecutorService#close()} does. No effect on the system
     * workqueues.
     */
    @Override
    public void close() {
        if (system) {
            return;
        }
        shutdown();
        boolean interrupted = false;
        while (!isTerminated()) {
            try {
                terminated.await();
            } catch (InterruptedException e) {
                if (!interrupted) {
                    shutdownNow();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /* --------------- Engine --------------- */

    /** The routing's pwqs and retired ones still draining, oldest first (a snapshot when iterated). */
    List<PoolWorkqueue> pwqs() {
        return pwqs.all();
    }

    private static int cpuIndex(int cpu) {
        int idx = Cpus.indexOf(cpu);
        if (idx < 0) {
            throw new IllegalArgumentException("CPU " + cpu + " is not usable by this process (usable: " + Cpus.describe() + ")");
        }
        return idx;
    }

    private static long nanos(Duration delay) {
        Objects.requireNonNull(delay, "delay is null");
        return delay.isNegative() ? 0 : delay.compareTo(Duration.ofDays(365 * 100)) > 0 ? Long.MAX_VALUE / 2 : delay.toNanos();
    }

    private boolean queueAt(int cpuIndex, Work work) {
        checkAccepting();
        if (!work.casPendingIfEnabled()) {
            return false;
        }
        insertOwned(cpuIndex, work, Source.CALLER);
        return true;
    }

    boolean queueDelayedAt(int cpuIndex, DelayedWork work, long nanos) {
        checkAccepting();
        if (!work.casPendingIfEnabled()) {
            return false;
        }
        queueOwnedDelayed(cpuIndex, work, nanos, Source.CALLER);
        return true;
    }

    /** Owner of PENDING: queues now, or arms the timer ({@code __queue_delayed_work}). */
    private void queueOwnedDelayed(int cpuIndex, DelayedWork work, long nanos, Source source) {
        if (nanos <= 0) {
            insertOwned(cpuIndex, work, source);
        } else {
            work.arm(this, cpuIndex, nanos);
        }
    }

    /**
     * A delayed item's timer expired (or flush cut it short): queue it, admitted even while shut
     * down (one-shot delayed items still run, as ScheduledThreadPoolExecutor's do), but handed
     * to shutdownNow once it has begun.
     */
    void queueFromTimer(DelayedWork work) {
        insertOwned(work.cpuIndex, work, Source.TIMER);
        if (lifecycle.get() != RUNNING) {
            tryTerminate();
        }
    }

    void timerArmed(DelayedWork work) {
        if (armed.putIfAbsent(work.timer(), work) == null && !daemon) {
            KeepAlive.acquire();
        }
    }

    void timerDisarmed(DelayedWork work) {
        unmarkArmed(work);
        if (lifecycle.get() != RUNNING) {
            tryTerminate();
        }
    }

    private void unmarkArmed(DelayedWork work) {
        if (armed.remove(work.timer()) != null && !daemon) {
            KeepAlive.release();
        }
    }

    /** Early refusal, before the item is touched; the authoritative check is under the pool lock. */
    private void checkAccepting() {
        int rs = lifecycle.get();
        if (rs >= STOP || (rs != RUNNING || draining) && !isChained()) {
            throw refused();
        }
    }

    private RejectedExecutionException refused() {
        return new RejectedExecutionException("workqueue " + name
                + (lifecycle.get() == RUNNING ? " is draining: only its own items may queue" : " is shut down"));
    }

    /** True when the caller is a worker running one of this workqueue's items ({@code is_chained_work}). */
    private boolean isChained() {
        Worker w = Worker.current();
        if (w == null) {
            return false;
        }
        PoolWorkqueue pwq = w.currentPwq;
        return pwq != null && pwq.wq == this;
    }

    /**
     * The caller owns PENDING: puts the item on a pwq, routed to the pool where it still runs
     * if it does ({@code __queue_work}), without taking a pool lock: the item is counted in
     * flight, checked against what drain, shutdown and attribute changes refuse (they change
     * that, then read the count: Dekker), and pushed on its pool's inbox. A refused item gets
     * PENDING back and the caller an exception; a timer's item refused after shutdownNow goes to
     * {@code droppedInTransit}, which shutdownNow collects.
     */
    private void insertOwned(int cpuIndex, Work work, Source source) {
        // The caller's worker, or null: where a per-CPU item goes, and whether it may be held
        // back or lent a unit (below); looked up once (a read through the carrier on a virtual
        // worker, Worker.ofVirtual).
        Worker me = Worker.current();
        // An unseen item (Work) was made here for one queueing, and is nobody else's to look at
        // until it runs: it never ran, and no flush counts its instances.
        boolean unseen = work.isUnseen();
        for (;;) {
            PwqRouting r = pwqs.routing();
            PoolWorkqueue pwq = r.single != null ? r.single : route(r, cpuIndex, me);
            boolean toRunning = false;
            Worker running = unseen ? null : work.lvRunningOn();
            if (running != null) {
                // Non-reentrancy: if it still runs in a pwq of this workqueue (another pool, or
                // a retired pwq), queue it there. The worker publishes its pwq before the item
                // (release/acquire), so a pwq of ours read here means the item still ran there a
                // moment ago; a pwq of another workqueue means it has finished.
                PoolWorkqueue where = running.currentPwq;
                if (where != null && where.wq == this && work.lvRunningOn() == running) {
                    pwq = where;
                    toRunning = true;
                }
            }
            // Read once, before counting: a pwq that begins sharing its count meanwhile takes the
            // items still pushed without the lock first (PoolWorkqueue.insert).
            boolean lockFree = pwq.queuesWithoutLock();
            // The worker queueing, if the caller is one, may hold the item back to run it next
            // (Worker.holdChained) and, on its own item's pwq, lend it that item's unit in flight
            // rather than count it anew (Worker.mayLendTo): only where items are queued without
            // the lock, the one path that holds them (enqueue).
            boolean lent = false;
            long counted = 0;
            if (lockFree && me != null && source == Source.CALLER) {
                counted = pwq.inFlightWord();
                lent = me.mayLendTo(pwq, counted);
            }
            if (!lent) {
                counted = pwq.countInFlight();
            }
            if (pwq.retired && !toRunning) {
                uncountRefused(pwq, counted, lent); // the routing changed since we read it: read it again
                continue;
            }
            if (PoolWorkqueue.inFlightBefore(counted) >= PoolWorkqueue.MAX_IN_FLIGHT && source == Source.CALLER) {
                uncountRefused(pwq, counted, lent);
                work.abortQueue();
                throw new RejectedExecutionException("workqueue " + name + " has " + PoolWorkqueue.MAX_IN_FLIGHT
                        + " items in flight in one pool, the most it can count");
            }
            if (lifecycle.get() >= STOP || pwq.refuseExternal && source == Source.CALLER && !isChained()) {
                uncountRefused(pwq, counted, lent);
                refuse(work, source);
                return;
            }
            if (!unseen) {
                work.incQueuedSeq();
            }
            work.stampQueued();
            if (source == Source.TIMER) {
                // Counted in flight already, so tryTerminate never sees it neither in flight nor
                // armed; and before it can run and arm itself again.
                unmarkArmed((DelayedWork) work);
            }
            int requestedCpu = cpuIndex >= 0 ? Cpus.cpuAt(cpuIndex) : -1;
            if (lockFree) {
                pwq.enqueue(work, requestedCpu, counted, me, lent);
            } else if (source == Source.TIMER) {
                pwq.pool.insertFromTimer(pwq, work, requestedCpu, counted); // never waits for the lock
            } else {
                pwq.pool.insertLocked(pwq, work, requestedCpu, counted);
            }
            if (lifecycle.get() >= STOP) {
                takeBackAfterStop(work, source);
            }
            return;
        }
    }

    /**
     * The pwq of a routing with several for an item queued for CPU index {@code cpuIndex}
     * ({@link Cpus#ANY}: the caller's CPU) by {@code me}, the caller's worker or null. A worker
     * running an item of this per-CPU workqueue queues on that item's pwq, the one of its own
     * CPU's pool ({@code forCpuIndex} would find it through its pool's CPU): per-CPU pwqs are
     * never replaced, only retired when the workqueue ends. Not a rescuer's: it runs other
     * CPUs' pwqs.
     */
    private PoolWorkqueue route(PwqRouting r, int cpuIndex, Worker me) {
        if (cpuIndex != Cpus.ANY || unbound) {
            return r.forCpuIndex(cpuIndex);
        }
        if (me == null) {
            return r.forOutsideCaller();
        }
        PoolWorkqueue own = me.currentPwq;
        return own != null && own.wq == this && !me.rescuer && !own.retired ? own : r.forCpuIndex(cpuIndex);
    }

    /** A refused item's unit in flight goes, unless it was a worker's, lent (nothing was counted then). */
    private static void uncountRefused(PoolWorkqueue pwq, long counted, boolean lent) {
        if (!lent) {
            pwq.uncountRefused(counted);
        }
    }

    /** Gives PENDING back and refuses the item: an exception for a caller, droppedInTransit for a timer. */
    private void refuse(Work work, Source source) {
        work.abortQueue();
        if (source == Source.TIMER) {
            unmarkArmed((DelayedWork) work);
            droppedInTransit.add((DelayedWork) work);
            return;
        }
        throw refused();
    }

    /**
     * shutdownNow began while the item was being queued: it may have swept the pool before the
     * item arrived. Take it back if it is still pending; if a worker found it first, it did not
     * run it (see {@link #droppedAfterStop}); if shutdownNow swept it, shutdownNow returned it.
     */
    private void takeBackAfterStop(Work work, Source source) {
        // Either way we own PENDING afterwards: taken off a list, or grabbed as idle.
        if (work.grabPending() != Work.GRAB_WAS_PENDING && !droppedAfterStop.remove(work)) {
            work.abortQueue(); // it ran (a worker took it before STOP) or shutdownNow returned it
            return;
        }
        refuse(work, source);
    }

    /**
     * Items that a worker took after shutdownNow began and did not run, because their queuer
     * had not yet seen STOP: the queuer takes them back and refuses them ({@link #takeBackAfterStop}).
     */
    private final ConcurrentLinkedQueue<Work> droppedAfterStop = new ConcurrentLinkedQueue<>(); // V

    /** L (the item's pool): a worker found an item of a stopped workqueue: it is not started. */
    void dropAfterStop(Work w) {
        droppedAfterStop.add(w);
    }

    /** Whether shutdownNow has begun (items no longer start). */
    boolean isStopping() {
        return lifecycle.get() >= STOP;
    }

    /** W: every pwq refuses (or accepts again) queueing from outside. */
    private void setRefuseExternal(boolean refuse) {
        pwqs.setRefuseExternal(refuse);
    }

    /** Its pwqs got their first item in flight (PwqSet): the JVM stays up for it, unless daemon. */
    void becameBusy() {
        if (!daemon) {
            KeepAlive.acquire();
        }
    }

    /** Its pwqs' last item in flight finished (PwqSet): a shut-down workqueue may terminate. */
    void becameIdle() {
        if (!daemon) {
            KeepAlive.release();
        }
        if (lifecycle.get() != RUNNING) {
            tryTerminate();
        }
    }

    private Rescuer startRescuer() {
        Rescuer r = new Rescuer(this);
        try {
            r.start();
        } catch (Throwable t) {
            throw new IllegalStateException("workqueue " + name + ": cannot start the rescuer of a MEM_RECLAIM workqueue: " + t, t);
        }
        return r;
    }

    /**
     * Terminates if shut down with nothing in flight and nothing armed. Takes no lock. The busy
     * count alone let a workqueue terminate over accepted items: a queuer paused between counting
     * an idle pwq's first item and marking the pwq busy, a second queuer's items accepted behind
     * it, and a shutdown meanwhile saw nothing busy (a rewritten executor's awaitTermination
     * returned with 471 accepted tasks not yet run, in a clean-clone CI run); so the pwqs' own
     * counts are read as well ({@link PwqSet#anyCountedInFlight}). The queuer paused there marks
     * the pwq busy later, so its count's end makes the workqueue idle and calls this again.
     */
    private void tryTerminate() {
        // Armed first: a firing timer counts its item in flight before it leaves `armed`.
        int rs = lifecycle.get();
        if (rs == RUNNING || rs == Lifecycle.TERMINATED || !armed.isEmpty() || pwqs.isBusy() || pwqs.anyCountedInFlight()) {
            return;
        }
        if (!lifecycle.terminate()) {
            return; // another thread terminated it
        }
        pwqs.releaseAll();
        if (rescuer != null) {
            rescuer.retire();
        }
        WorkqueueRegistry.unregister(this);
        terminated.countDown();
        fireTerminationAction();
    }

    /**
     * Runs {@code action} once this workqueue has terminated, off every pool lock, on a system
     * worker ({@link TerminationAction}); soon if it has already. One action at a time.
     *
     * @throws IllegalStateException if an action is registered and has not run yet
     */
    void whenTerminated(Runnable action) {
        if (!onTerminated.compareAndSet(null, new TerminationAction(Objects.requireNonNull(action, "action is null")))) {
            throw new IllegalStateException("workqueue " + name + " already has an action to run on termination");
        }
        if (isTerminated()) {
            fireTerminationAction(); // terminated before the action was there to fire (tryTerminate fires after the state)
        }
    }

    private void fireTerminationAction() {
        TerminationAction a = onTerminated.getAndSet(null);
        if (a != null) {
            a.fire();
        }
    }

    /** Reports an exception thrown by a work item; never throws. */
    void reportFailure(Worker worker, Work work, Throwable t) {
        try {
            Thread.UncaughtExceptionHandler h = failureHandler != null ? failureHandler : worker.thread.getUncaughtExceptionHandler();
            h.uncaughtException(worker.thread, t);
        } catch (Throwable ignored) {
            // A failing handler must not take the worker down with it.
        }
    }

    private static void requireNonNegative(String name, int maxActive) {
        if (maxActive < 0) {
            throw new IllegalArgumentException("maxActive of workqueue " + name + " must be >= 0 (0 = default), got " + maxActive);
        }
    }

    /** Validates max_active and maps it into range: 0 is the default, above 2048 clamps with a warning. */
    static int checkMaxActive(String name, int maxActive) {
        requireNonNegative(name, maxActive);
        if (maxActive == 0) {
            return DEFAULT_ACTIVE;
        }
        if (maxActive > MAX_ACTIVE) {
            LOG.log(System.Logger.Level.WARNING, "jwq: max_active " + maxActive + " of workqueue " + name
                    + " is out of range, clamped to " + MAX_ACTIVE);
            return MAX_ACTIVE;
        }
        return maxActive;
    }

    /* --------------- Builder --------------- */

    /** Builds a {@link Workqueue} ({@code alloc_workqueue} / {@code alloc_ordered_workqueue}). */
    public static final class Builder {
        private final String name;
        private final EnumSet<WqFlag> flags = EnumSet.noneOf(WqFlag.class);
        private int maxActive;
        private boolean ordered;
        private AffinityScope scope = AffinityScope.DEFAULT;
        private boolean strict;
        Thread.UncaughtExceptionHandler failureHandler;
        boolean system;
        /** Set through {@link dev.jwq.spi.DaemonWorkqueues} and by the twins of a daemon ThreadFactory. */
        boolean daemon;

        private Builder(String name) {
            Objects.requireNonNull(name, "workqueue name is null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("workqueue name is blank");
            }
            this.name = name;
        }

        /**
         * Adds flags.
         *
         * @param flags flags to add to those given before
         * @return this builder
         */
        public Builder flags(WqFlag... flags) {
            for (WqFlag f : Objects.requireNonNull(flags, "flags is null")) {
                this.flags.add(Objects.requireNonNull(f, "flag is null"));
            }
            return this;
        }

        /**
         * Sets max_active: how many items may run at once (per CPU for a per-CPU workqueue);
         * 0 = the default, 1024; above 2048 is clamped with a warning.
         *
         * @param maxActive the max_active, 0 for the default
         * @throws IllegalArgumentException if negative
         * @return this builder
         */
        public Builder maxActive(int maxActive) {
            requireNonNegative(name, maxActive);
            this.maxActive = maxActive;
            return this;
        }

        /**
         * Makes it ordered: unbound, one item at a time in queueing order ({@code alloc_ordered_workqueue}).
         *
         * @return this builder
         */
        public Builder ordered() {
            this.ordered = true;
            return this;
        }

        /**
         * Sets the affinity scope of an unbound workqueue, and whether it is strict.
         *
         * @param scope how its CPUs are split into pods
         * @param strict whether a pod's workers stay on the pod's CPUs
         * @return this builder
         */
        public Builder affinityScope(AffinityScope scope, boolean strict) {
            this.scope = Objects.requireNonNull(scope, "scope is null");
            this.strict = strict;
            return this;
        }

        /**
         * Creates the workqueue.
         *
         * @throws IllegalArgumentException for contradictory settings (PERCPU with UNBOUND, an
         *         ordered workqueue with PERCPU or max_active above 1), or a bad {@code jwq.*}
         *         system property (the message names it)
         * @return the new workqueue, ready to queue on
         */
        public Workqueue build() {
            Settings.check(); // a bad jwq.* property fails here, every time, naming it
            if (flags.contains(WqFlag.PERCPU) && flags.contains(WqFlag.UNBOUND)) {
                throw new IllegalArgumentException("workqueue " + name + ": PERCPU and UNBOUND are exclusive");
            }
            if (ordered && flags.contains(WqFlag.PERCPU)) {
                throw new IllegalArgumentException("workqueue " + name + ": an ordered workqueue is unbound, not PERCPU");
            }
            if (ordered && maxActive > 1) {
                throw new IllegalArgumentException("workqueue " + name + ": an ordered workqueue has max_active 1, got " + maxActive);
            }
            // Unbound unless PERCPU is asked for (Linux's 2025 flip, WQ_PERCPU): on the JVM a
            // per-CPU default traps the common one-producer program on the producer's CPU.
            // A POWER_EFFICIENT one is unbound in power-efficient mode (workqueue.power_efficient).
            if (flags.contains(WqFlag.POWER_EFFICIENT) && Settings.CURRENT.powerEfficient()) {
                flags.remove(WqFlag.PERCPU);
            }
            if (!flags.contains(WqFlag.PERCPU)) {
                flags.add(WqFlag.UNBOUND);
            }
            int n = ordered ? 1 : checkMaxActive(name, maxActive);
            Workqueue wq = new Workqueue(this, n);
            WorkqueueRegistry.register(wq);
            return wq;
        }
    }
}
