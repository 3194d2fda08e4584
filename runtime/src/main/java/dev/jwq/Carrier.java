package dev.jwq;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One CPU of a {@link CarrierGroup}: a run queue of runnable virtual workers and the platform
 * thread that runs their continuations one at a time ({@link CarrierThread}), started when the
 * CPU is first needed and retired after the group's keep-alive without work. While the thread is
 * pinned by a continuation that blocks on it (or is compensated for a CPU-intensive one), a
 * second thread drains the same queue ({@link CarrierThread#compensate}); the pinned one retires
 * when its continuation returns, so a carrier has one draining thread at a time.
 *
 * <h2>States</h2>
 * <pre>
 *   DORMANT -&gt; RUNNING   a submission needs this CPU: a thread is started
 *   RUNNING -&gt; IDLE      the thread found nothing to run and is about to park
 *   IDLE    -&gt; RUNNING   a submission to this carrier (the submitter unparks the thread), or
 *                        the thread itself, finding work on its re-check
 *   IDLE    -&gt; DORMANT   the thread, idle for the keep-alive (at once once its group is
 *                        retired: the pool is gone): it ends
 * </pre>
 * The thread announces IDLE before it re-checks the queues, and a submitter reads the state
 * after it has queued (both full fences: the queue's CAS, the state's volatile write and the
 * group's idle count), so either the thread sees the work or the submitter sees IDLE and wakes
 * it: no submission is stranded.
 *
 * <p>The run queue is the JDK's {@link ConcurrentLinkedQueue} (lock-free, many producers, many
 * consumers): idle carriers of a group take work from busy ones, which a single-consumer queue
 * would not allow, and JCTools' multi-consumer unbounded queues use {@code sun.misc.Unsafe},
 * which prints a warning on JDK 24 and later. In front of it is one slot ({@link #next}, as Go's
 * scheduler has {@code runnext}): a worker submitted while nothing is queued here takes the slot,
 * with one CAS and no queue node; the drainer and thieves take the slot before the queue, so
 * the order stays first come, first run. Most submissions find the queue empty (the flagship
 * demo's load: 81% of about nine a request, the carrier running another worker), and the node
 * each of them cost was a quarter of the heap the agent's run allocated a request beyond the
 * JDK pools' run (2.39-2.45 -> 2.23-2.35 KB, the JDK pools 1.91-1.96; bench/README.md,
 * "Session 45").
 *
 * <p>Tags (the package legend): I, V, D, T (the {@link CarrierWatch}, on the timer thread).
 */
final class Carrier {
    static final int DORMANT = 0;
    static final int RUNNING = 1;
    static final int IDLE = 2;

    /**
     * How long a pinned carrier that is the last awake one of its group polls for work before
     * it parks ({@link #idle}). A parked carrier costs its next item a futex wake-up: the
     * waker's system call, then the thread's way back onto a CPU. ForkJoinPool's workers poll
     * before they park too. Measured (2026-12-06, Intel host, `bench/alternate.sh 3
     * LatencyBenchmark`, medians of three forks): at 100,000 items/s p50 9.1 -> 3.1 us, p99
     * 1,095 -> 389 us; at 10,000 items/s no change. Only the last awake one, so a group never
     * has two polling and a busy group none.
     *
     * <p>Only a pinned carrier polls (a bound pool's: the CPU is its own), and only while
     * polling has taken at most half of its recent time ({@link #pollPays}); an unpinned
     * carrier's group starts at 0 ({@link CarrierGroup#idleSpinNanos}). Measured on the AMD
     * host (2026-12-07, bench/README.md "Session 39"): a carrier that never parks looks
     * CPU-bound to the scheduler, which then lets any other runnable thread take its CPU for a
     * time slice, and an unpinned poller shares a CPU with the very thread that submits: with
     * every idle period polled, virtual workers' p99 at 100,000 items/s was 1.5 ms (per-CPU)
     * and 2.5 ms (unbound), against 0.16 and 0.09-0.7 ms without the poll.
     */
    static final long IDLE_SPIN_NANOS = 20_000;

    /** The window over which {@link #pollPays} counts a carrier's polls: a few time slices' worth of items. */
    static final long POLL_WINDOW_NANOS = 1_000_000;

    /* Field updaters, not VarHandles: see "Field updaters" in package-info.java. */
    private static final AtomicIntegerFieldUpdater<Carrier> STATE = AtomicIntegerFieldUpdater.newUpdater(Carrier.class, "state");
    private static final AtomicIntegerFieldUpdater<Carrier> WATCHED = AtomicIntegerFieldUpdater.newUpdater(Carrier.class, "watched");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Carrier, CarriedWorker> NEXT =
            AtomicReferenceFieldUpdater.newUpdater(Carrier.class, CarriedWorker.class, "next");

    final CarrierGroup<?> group;                 // I
    /** The CPU this carrier stands for (and is pinned to when its group pins). */
    final int cpu;                               // I
    /** Position in the group's carrier array. */
    final int index;                             // I
    /** Thread name, e.g. {@code jwq/c3}; compensating threads add {@code +n}. */
    final String name;                           // I
    /** V: runnable workers queued behind {@link #next}, first come first. */
    private final ConcurrentLinkedQueue<CarriedWorker<?>> runQueue = new ConcurrentLinkedQueue<>();
    /** V: the worker to run next, queued while nothing else was; null if none. CAS in, CAS out. */
    private volatile CarriedWorker<?> next;
    private volatile int state = DORMANT;        // V: CAS, see the table
    /** V: the thread that drains the run queue now; null before the first start. */
    volatile CarrierThread drainer;
    /** V: registered with the CarrierWatch (work queued behind a busy thread). */
    private volatile int watched;
    /** Threads started for this carrier so far (names the compensating ones); guarded by {@code this}. */
    private int threadsStarted;
    /** W: the drainer's mount word at the watch's last sample, 0 if none. */
    long watchedMount;
    /** W: the drainer's CPU time at that sample, or -1. */
    long watchedCpu;
    /** W: samples in a row that found the run queue empty. */
    int quietSamples;
    /** D: when the current window of {@link #pollPays} began (System.nanoTime). */
    private long pollWindowStart;
    /** D: nanoseconds polled in that window. */
    private long polledInWindow;
    /** D: whether this window's idle periods may poll (decided as it began). */
    private boolean pollingAllowed = true;
    /**
     * D: times the thread parked in {@link #idle}, a stale permit's return included; other
     * threads (tests, looks) read it racily.
     */
    long parks;

    Carrier(CarrierGroup<?> group, int index, int cpu, String name) {
        this.group = group;
        this.index = index;
        this.cpu = cpu;
        this.name = name;
        this.pollWindowStart = System.nanoTime();
    }

    int state() {
        return state;
    }

    /**
     * Queues {@code w} to run on this carrier: in the slot when nothing is queued here, else at
     * the run queue's tail. Any thread; a full fence either way (the slot's or the queue's CAS),
     * which the submitter's read of {@link #state} after it relies on (see the class comment).
     */
    void enqueue(CarriedWorker<?> w) {
        if (next == null && runQueue.isEmpty() && NEXT.compareAndSet(this, null, w)) {
            return;
        }
        runQueue.offer(w);
    }

    /** Takes the next worker queued here, the slot's first; null if none. The drainer and thieves. */
    CarriedWorker<?> poll() {
        CarriedWorker<?> w = next;
        if (w != null && NEXT.compareAndSet(this, w, null)) {
            return w;
        }
        return runQueue.poll();
    }

    /** Whether a worker is queued here (racy). */
    boolean hasQueued() {
        return next != null || !runQueue.isEmpty();
    }

    /**
     * After a submission has queued: makes sure a thread will look at the queue (unparks an
     * idle one, starts one on a dormant carrier). Any thread.
     */
    void wake() {
        for (;;) {
            int s = state;
            if (s == RUNNING) {
                return;
            }
            if (s == IDLE) {
                if (STATE.compareAndSet(this, IDLE, RUNNING)) {
                    group.idleCarriers.decrementAndGet();
                    LockSupport.unpark(drainer);
                    return;
                }
            } else if (STATE.compareAndSet(this, DORMANT, RUNNING)) {
                group.dormantCarriers.decrementAndGet();
                if (!startThread(null)) {
                    // No thread (OutOfMemoryError): stay dormant; idle siblings take the queued
                    // workers, and the watch retries the start while any wait here.
                    state = DORMANT;
                    group.dormantCarriers.incrementAndGet();
                    watch();
                }
                return;
            }
        }
    }

    /**
     * Any thread, after its group was retired ({@link CarrierGroup#retire}): an idle carrier's
     * thread wakes to look at the group again. Retired first, then the state read, against the
     * thread's announcing IDLE, then reading retired ({@link #idle}): one sees the other.
     */
    void wakeIfIdle() {
        CarrierThread t = drainer;
        if (state == IDLE && t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Starts a thread that drains this carrier, in place of {@code pinned} if not null. Returns
     * whether it started; reports a failure once.
     */
    boolean startThread(CarrierThread pinned) {
        CarrierThread t;
        synchronized (this) {
            int n = threadsStarted++;
            t = new CarrierThread(this, n == 0 ? name : name + "+" + n);
        }
        drainer = t;
        try {
            t.start();
        } catch (Throwable e) { // OutOfMemoryError: unable to create native thread
            drainer = pinned;
            WorkerPlacement.warnOnce("jwq: cannot start a carrier thread for " + name + ": " + e);
            return false;
        }
        group.threadsStarted.incrementAndGet();
        return true;
    }

    /**
     * D: the drainer found nothing to run. Announces IDLE, re-checks every queue of the group,
     * polls them a while if it is the group's last awake carrier ({@link #IDLE_SPIN_NANOS}), and
     * parks until woken or the keep-alive has passed. Returns false when the thread is to end
     * (the carrier is now DORMANT), true when there is work to look for.
     */
    boolean idle() {
        state = IDLE;                                  // announce, then re-check (see the class comment)
        group.idleCarriers.incrementAndGet();
        long poll = group.idleSpinNanos;
        if (foundWork() || poll > 0 && group.lastAwake() && pollPays() && pollForWork(poll)) {
            return true;
        }
        long keepAlive = group.keepAliveNanos;
        long deadline = System.nanoTime() + keepAlive;
        while (state == IDLE) {
            Thread.interrupted(); // a stale interrupt from a mounted continuation must not make park spin
            long left = group.retired ? 0 : deadline - System.nanoTime();
            if (left > 0) {
                parks++;
                LockSupport.parkNanos(this, left);
            } else if (STATE.compareAndSet(this, IDLE, DORMANT)) {
                group.idleCarriers.decrementAndGet();
                group.dormantCarriers.incrementAndGet();
                return false;
            }
        }
        return true;
    }

    /** D, IDLE announced: whether work is queued in the group; if so, back to RUNNING unless a waker did that. */
    private boolean foundWork() {
        if (!group.hasQueuedWork()) {
            return false;
        }
        if (STATE.compareAndSet(this, IDLE, RUNNING)) {
            group.idleCarriers.decrementAndGet();
        }
        return true;
    }

    /**
     * D, IDLE announced: polls for up to {@code nanos} for a waker (which finds this carrier
     * IDLE, moves it to RUNNING and unparks a thread that is not parked: no futex wake-up) or
     * for work queued on any carrier of the group. True if either came.
     */
    private boolean pollForWork(long nanos) {
        long start = System.nanoTime();
        long now;
        boolean came;
        do {
            for (int i = 0; i < 32; i++) {
                Thread.onSpinWait();
            }
            now = System.nanoTime();
            came = state != IDLE || foundWork();
        } while (!came && now - start < nanos);
        polledInWindow += now - start;
        return came;
    }

    /**
     * D: whether an idle period may poll. Decided once per {@link #POLL_WINDOW_NANOS}: it may
     * unless the polls of the window before took more than half of it. A carrier whose items
     * come a little further apart than they take keeps polling between them and never parks;
     * the scheduler then counts it a CPU hog, lets any other thread that wakes on its CPU run a
     * time slice first, and the items queued meanwhile wait that long. So it parks for a window
     * now and then, as a thread that sleeps between its items does.
     */
    private boolean pollPays() {
        long now = System.nanoTime();
        long elapsed = now - pollWindowStart;
        if (elapsed >= POLL_WINDOW_NANOS) {
            pollingAllowed = polledInWindow <= elapsed / 2;
            pollWindowStart = now;
            polledInWindow = 0;
        }
        return pollingAllowed;
    }

    /** Registers this carrier with the watch, once until the watch lets it go. */
    void watch() {
        if (watched == 0 && WATCHED.compareAndSet(this, 0, 1)) {
            CarrierWatch.get().watch(this);
        }
    }

    /** W: the watch lets this carrier go; false if work arrived meanwhile (it keeps watching). */
    boolean unwatch() {
        watched = 0;
        return !hasQueued() || !WATCHED.compareAndSet(this, 0, 1);
    }

    static String stateName(int s) {
        return switch (s) {
            case DORMANT -> "DORMANT";
            case RUNNING -> "RUNNING";
            case IDLE -> "IDLE";
            default -> String.valueOf(s);
        };
    }

    @Override
    public String toString() {
        CarrierThread t = drainer;
        return name + " " + stateName(state) + " queued=" + ((next != null ? 1 : 0) + runQueue.size()) + (t == null ? "" : " thread=" + t.getName());
    }
}
