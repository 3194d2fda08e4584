package dev.jwq;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * One virtual worker's scheduler: the {@link Executor} its virtual thread hands its
 * continuation to (on start, on every unpark, after {@code Thread.yield}), and the worker's
 * scheduling state. Since every worker has its own, a submission names its worker without a
 * map, and this is the one place where the worker is known to sleep or run: the carriers' run
 * loop calls {@link #mount} and {@link #afterRun}, the JDK calls {@link #execute}, and the
 * {@link CarrierListener} hears the outcome.
 *
 * <h2>States</h2>
 * <pre>
 *   NEW      -&gt; QUEUED      first submission (Thread.start); no call
 *   QUEUED   -&gt; MOUNTED     a carrier takes it from a run queue and runs its continuation
 *   MOUNTED  -&gt; YIELDED     submitted while mounted (Thread.yield, an unpark racing the park)
 *   YIELDED  -&gt; QUEUED      its carrier, continuation returned: queued again; no call
 *   MOUNTED  -&gt; SLEEPING    its carrier, continuation returned and not submitted: sleeping()
 *   SLEEPING -&gt; PARKED      its carrier, sleeping() returned
 *   SLEEPING -&gt; WOKEN       submitted during the sleeping() call: nothing yet
 *   WOKEN    -&gt; QUEUED      its carrier, sleeping() returned: running(), then queued
 *   PARKED   -&gt; QUEUED      submitted: running() on the submitting thread, then queued
 *   MOUNTED  -&gt; TERMINATED  its carrier, the thread has ended: terminated()
 * </pre>
 * A worker is in at most one run queue, once, and only in QUEUED. {@code running()} is always
 * called before the worker is queued, and {@code sleeping()} returns before a submission can
 * queue it, so the calls for one worker never overlap and never come out of order. The JDK
 * submits a continuation once per wake-up; a submission in QUEUED, YIELDED or WOKEN (already
 * runnable) would change nothing, and is ignored, as the JDK's {@code runContinuation} ignores
 * a run of a thread that is not runnable.
 *
 * <p>A virtual thread that code running on the worker creates inherits the worker's scheduler
 * (the JDK gives a new virtual thread its creator's): its continuation, which is not the
 * worker's, is handed to the JDK's own scheduler, where it would have run had the worker been
 * a platform thread.
 *
 * <p>Legend: I: final, or written once before the thread starts; V: volatile, changed by CAS
 * ({@link #state}) or written by the mounting carrier ({@link #mountedOn}); H: a hint written by
 * carriers and read racily by submitters (benign: a stale value only places the worker on
 * another carrier of its group); X: the worker's own thread (a waker reads it after the state's
 * CAS, which publishes it).
 */
final class CarriedWorker<W> implements Executor {
    static final int NEW = 0;
    static final int QUEUED = 1;
    static final int MOUNTED = 2;
    static final int YIELDED = 3;
    static final int SLEEPING = 4;
    static final int WOKEN = 5;
    static final int PARKED = 6;
    static final int TERMINATED = 7;

    private static final String[] NAMES = {"NEW", "QUEUED", "MOUNTED", "YIELDED", "SLEEPING", "WOKEN", "PARKED",
        "TERMINATED"};

    /* A field updater, not a VarHandle: see "Field updaters" in package-info.java. */
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<CarriedWorker> STATE = AtomicIntegerFieldUpdater.newUpdater(CarriedWorker.class, "state");

    final W worker;                          // I
    final CarriedWorkerHost group;           // I: its CarrierGroup
    private Thread thread;                   // I: set by the group before the thread starts
    /** I: the JDK's runContinuation, fixed per virtual thread; set by the first submission. */
    private Runnable continuation;
    private volatile int state = NEW;        // V
    /** V: the carrier thread running the continuation, or null when unmounted. */
    private volatile CarrierThread mountedOn;
    /** H: the carrier the worker last ran on. */
    Carrier lastCarrier;
    /**
     * X: the worker parks for a hand-off whose waker should let it come back late
     * ({@link #wakeLate(boolean)}). Plain: the worker writes it before its continuation returns,
     * and the CASes of {@link #state} to PARKED and out of it publish it to the waker.
     */
    private boolean wakeLate;

    CarriedWorker(W worker, CarriedWorkerHost group) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.group = group;
    }

    /* --------------- The JDK's side: submissions --------------- */

    /**
     * The JDK hands over the worker's continuation: on start, unpark, {@code Thread.yield},
     * the end of a monitor wait. Any thread may call it, a carrier included (inside the
     * continuation's own unmount, for a yield or an unpark that raced the park).
     */
    @Override
    public void execute(Runnable continuation) {
        Runnable own = this.continuation;
        if (own != null && continuation != own) {
            // A virtual thread created by code running on this worker inherits its creator's
            // scheduler: it is no worker, and goes where it would have gone from a platform
            // worker (published: it was created after this worker started, which set `own`).
            VirtualThreadAccess.defaultScheduler().execute(continuation);
            return;
        }
        for (;;) {
            int s = state;
            switch (s) {
                case NEW -> {
                    this.continuation = Objects.requireNonNull(continuation); // published by the CAS
                    if (cas(NEW, QUEUED)) {
                        group.submit(this);
                        return;
                    }
                }
                case PARKED -> {
                    if (cas(PARKED, QUEUED)) {
                        if (wakeLate && !(Thread.currentThread() instanceof CarrierThread)) {
                            pauseBeforeWake();
                        }
                        group.running(this);
                        group.submit(this);
                        return;
                    }
                }
                case MOUNTED -> {
                    if (cas(MOUNTED, YIELDED)) {
                        return; // the carrier queues it when the continuation has returned
                    }
                }
                case SLEEPING -> {
                    if (cas(SLEEPING, WOKEN)) {
                        return; // the carrier calls running() and queues it after sleeping()
                    }
                }
                case QUEUED, YIELDED, WOKEN -> {
                    return; // already runnable: its coming run covers this submission
                }
                default -> throw new IllegalStateException("jwq: continuation of " + thread + " submitted in state "
                        + NAMES[s]);
            }
        }
    }

    /**
     * The worker itself, around a wait for the consumer's turn of a full pwq's queue
     * ({@code PoolWorkqueue.pollWaitingUnlocked}): while it is on, a worker or outside thread
     * that wakes it from PARKED first spins for {@link #WAKE_LATE_NANOS}; a carrier never does
     * (it has other workers to run). A platform worker woken by a futex comes back after the
     * waker's system call and its own scheduling, microseconds in which the waker runs its
     * pwq's next steps alone; a virtual worker queued straight back came back within a few
     * hundred nanoseconds, lost the turn again, and parked again: on two CPUs, twin-fixed chains
     * on virtual workers took 115-164 ns a step with 200-270 thousand parks per 10 million
     * steps, against 67-81 ns on platform workers. With the waker spinning first (scratch runs,
     * 2026-12-05): 30 ns 110-113, 100 ns 93-98, 500 ns 79-84, 1 us 85-98 (parks halved), 2 us
     * 85-93. In JMH (bench/alternate.sh, 3 interleaved forks): twin-fixed chains 162 -> 113 ns a
     * step, a rewritten ThreadPoolExecutor's 232 -> 188; bursts from one thread and per-CPU
     * latency no worse. Only this wait: an outside submitter waking an idle worker must not pay
     * it, and a worker waiting for the turn under the pool lock holds up the pool meanwhile.
     */
    void wakeLate(boolean on) {
        wakeLate = on;
    }

    /** How long a waker spins before it queues a worker parked with {@link #wakeLate(boolean)} on. */
    static final long WAKE_LATE_NANOS = 1_000;

    private static void pauseBeforeWake() {
        long deadline = System.nanoTime() + WAKE_LATE_NANOS;
        while (System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }

    /* --------------- The carrier's side --------------- */

    /** Its carrier took it from a run queue: QUEUED to MOUNTED. */
    Runnable mount(CarrierThread carrier) {
        boolean ok = cas(QUEUED, MOUNTED);
        assert ok : "mounted in state " + NAMES[state];
        lastCarrier = carrier.carrier;
        mountedOn = carrier;
        return continuation;
    }

    /**
     * Its continuation has returned to {@code carrier}: the worker ended, was submitted again
     * meanwhile, or sleeps. Calls the listener accordingly and queues it again if runnable.
     */
    void afterRun(CarrierThread carrier) {
        mountedOn = null;
        if (thread.getState() == Thread.State.TERMINATED) {
            state = TERMINATED; // MOUNTED: no submission can come for an ended thread
            group.terminated(this);
            return;
        }
        if (cas(MOUNTED, SLEEPING)) {
            group.sleeping(this);
            if (cas(SLEEPING, PARKED)) {
                return;
            }
            // WOKEN: submitted during the call; its running() belongs after ours.
            state = QUEUED;
            group.running(this);
        } else {
            assert state == YIELDED : "returned in state " + NAMES[state];
            state = QUEUED;
        }
        group.submit(this);
    }

    /**
     * For a CPU-intensive item: if this worker is mounted, another thread is started for its
     * carrier and drains the run queue while this continuation keeps the current one (until it
     * returns to the carrier), so the other workers of the CPU are not held off. Any thread.
     * Returns whether a thread was started (false: not mounted, already compensated, or no
     * thread could be started).
     */
    boolean compensate() {
        CarrierThread t = mountedOn;
        if (t == null) {
            return false;
        }
        long m = t.mountWord(); // read before mounted(): a later mount changes the word, and the CAS fails
        return t.mounted() == this && t.compensate(m);
    }

    /* --------------- Queries --------------- */

    /** The worker's virtual thread. */
    Thread thread() {
        return thread;
    }

    void bind(Thread t) {
        assert thread == null && state == NEW;
        thread = t;
    }

    /** The carrier thread the worker is mounted on now, or null (racy: a snapshot). */
    CarrierThread mountedOn() {
        return mountedOn;
    }

    /** The state now (a snapshot), one of the constants above. */
    int state() {
        return state;
    }

    static String stateName(int s) {
        return NAMES[s];
    }

    private boolean cas(int expect, int update) {
        return STATE.compareAndSet(this, expect, update);
    }

    @Override
    public String toString() {
        return "CarriedWorker[" + (thread == null ? worker : thread.getName()) + " " + NAMES[state] + "]";
    }
}
