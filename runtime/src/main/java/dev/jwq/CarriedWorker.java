package dev.jwq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * another carrier of its group).
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

    private static final VarHandle STATE;
    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(CarriedWorker.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
