package dev.jwq;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.io.File;
import java.util.BitSet;

/**
 * The platform thread of a {@link Carrier}: placed like a worker (pinned to the carrier's CPU
 * when its group pins, high priority for a HIGHPRI group), it runs the continuations of its run
 * queue one at a time, takes work from its group's other carriers when it has none, and parks
 * when there is nothing anywhere in the group. A daemon: an idle process holds no carrier, and a
 * carrier never keeps the JVM alive.
 *
 * <h2>The mount word</h2>
 * {@link #mount} is {@code seq << 2 | status}: {@code seq} counts the continuations this
 * thread has run, status is one of
 * <pre>
 *   FREE         -&gt; MOUNTED       this thread takes a worker (the next seq)
 *   MOUNTED      -&gt; FREE          this thread, the continuation and its listener calls done
 *   MOUNTED      -&gt; COMPENSATING  compensate(): another thread is being started for the carrier
 *   COMPENSATING -&gt; COMPENSATED   it started: this thread ends when its continuation returns
 *   COMPENSATING -&gt; MOUNTED       it could not start: this thread goes on draining
 * </pre>
 * so the end of a mount and a compensation of it race on one CAS, and exactly one thread drains
 * the queue after it. A mount lasts from taking the worker until its listener calls have
 * returned: a listener blocked for long is compensated like a pinned continuation.
 *
 * <p>Legend: I: final, or written once by this thread as it starts; D: written by this thread
 * only; V: volatile.
 */
final class CarrierThread extends Thread {
    static final int FREE = 0;
    static final int MOUNTED = 1;
    static final int COMPENSATING = 2;
    static final int COMPENSATED = 3;

    /* A field updater, not a VarHandle: see "Field updaters" in package-info.java. */
    private static final AtomicLongFieldUpdater<CarrierThread> MOUNT = AtomicLongFieldUpdater.newUpdater(CarrierThread.class, "mount");

    final Carrier carrier;                   // I
    /** D, V: see the class comment. */
    private volatile long mount;
    /** D, V: the worker of the current mount, or null. */
    private volatile CarriedWorker<?> mounted;
    /** I: the kernel's syscall file of this thread, or null where there is none. */
    volatile File syscallFile;

    CarrierThread(Carrier carrier, String name) {
        super(null, null, name, 0, false);
        this.carrier = carrier;
        setDaemon(true);
        if (carrier.group.highPri) {
            setPriority(Thread.MAX_PRIORITY);
        }
    }

    @Override
    public void run() {
        CarrierGroup<?> g = carrier.group;
        WorkerPlacement.applyCarrier(g.pin ? cpuSet(carrier.cpu) : g.confinedTo, g.highPri);
        syscallFile = KernelThreadState.syscallFileOfCurrentThread();
        while (drain(g)) {
            // the loop goes on in a fresh activation (LongLoops says why)
        }
    }

    /**
     * The carrier's loop for at most {@link LongLoops#TURNS} mounts and idle periods: true to
     * be called again, false once this thread is done (compensated, or dormant).
     */
    private boolean drain(CarrierGroup<?> g) {
        for (int turns = 0; turns < LongLoops.TURNS; turns++) {
            try {
                CarriedWorker<?> w = carrier.poll();
                if (w == null) {
                    w = g.steal(carrier);
                }
                if (w != null) {
                    if (!runOne(w)) {
                        return false; // compensated: the thread that replaced this one drains now
                    }
                } else if (!carrier.idle()) {
                    return false; // idle for the keep-alive: the carrier is dormant
                }
            } catch (Throwable t) {
                // A carrier that died would strand its queue: report, and go on draining.
                CarrierGroup.report("the loop of carrier " + getName(), t);
            }
        }
        return true;
    }

    /** Runs {@code w}'s continuation; returns false when this thread was compensated meanwhile. */
    private boolean runOne(CarriedWorker<?> w) {
        long seq = (mount >>> 2) + 1;
        mounted = w;
        mount = seq << 2 | MOUNTED;
        Runnable continuation = w.mount(this);
        try {
            continuation.run();
        } catch (Throwable t) {
            // The JDK's runContinuation reports the thread's own exceptions; anything here is
            // the JDK's or ours. The carrier goes on, as a Netty loop does.
            CarrierGroup.report("continuation of " + w, t);
        }
        try {
            w.afterRun(this);
        } catch (Throwable t) {
            CarrierGroup.report("after the continuation of " + w, t);
        }
        mounted = null;
        long m = seq << 2 | MOUNTED;
        for (;;) {
            if (MOUNT.compareAndSet(this, m, seq << 2 | FREE)) {
                return true;
            }
            if (status(mount) == COMPENSATED) {
                return false;
            }
            Thread.yield(); // COMPENSATING: a thread is being started, microseconds
        }
    }

    /**
     * Compensates this thread's mount {@code expected} (read from {@link #mountWord}): starts
     * another thread for its carrier, which drains the run queue from now on; this one ends when
     * the continuation returns. Any thread. Returns false when the mount has ended meanwhile,
     * is already compensated, or no thread could be started.
     */
    boolean compensate(long expected) {
        if (status(expected) != MOUNTED || !MOUNT.compareAndSet(this, expected, withStatus(expected, COMPENSATING))) {
            return false;
        }
        if (!carrier.startThread(this)) {
            mount = expected; // COMPENSATING -> MOUNTED: only compensate() moves it from there
            return false;
        }
        mount = withStatus(expected, COMPENSATED);
        carrier.group.compensations.incrementAndGet();
        return true;
    }

    /** The mount word now (see the class comment). */
    long mountWord() {
        return mount;
    }

    /** The worker of the current mount, or null (a snapshot). */
    CarriedWorker<?> mounted() {
        return mounted;
    }

    static int status(long mountWord) {
        return (int) (mountWord & 3);
    }

    private static long withStatus(long mountWord, int status) {
        return (mountWord & ~3L) | status;
    }

    /**
     * Whether this thread itself is blocked: its own state (a continuation pinned in
     * {@code Object.wait}, a park inside a class initialiser, a monitor held by native code) or,
     * RUNNABLE, the kernel's view (a native call: file or pipe I/O, a foreign function).
     */
    boolean blocked() {
        return switch (getState()) {
            case BLOCKED, WAITING, TIMED_WAITING -> true;
            case RUNNABLE -> KernelThreadState.blockedInNativeCall(syscallFile);
            default -> false;
        };
    }

    private static BitSet cpuSet(int cpu) {
        BitSet set = new BitSet(cpu + 1);
        set.set(cpu);
        return set;
    }
}
