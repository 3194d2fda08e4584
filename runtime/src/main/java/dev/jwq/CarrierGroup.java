package dev.jwq;

import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The carriers of one pool: one {@link Carrier} per CPU of the pool (one for a bound pool, a
 * pod's worth for an unbound one), each with a platform thread started when first needed, and
 * the pool's virtual workers, whose continuations they run. The engine creates workers with
 * {@link #newWorker} and hears from {@link CarrierListener} when one sleeps or runs again.
 *
 * <h2>Where a submitted worker goes</h2>
 * To the carrier it last ran on if that one is idle; otherwise (it is busy, or the worker is
 * new) to an idle carrier of the group if there is one, else to a dormant one (its thread is
 * started: the group's CPUs are all busy, so this CPU is now needed), else to the carrier it last
 * ran on (a new worker: the next in turn), behind what that one runs. A carrier that runs out of
 * work takes queued workers from the others before it parks, and a submission that queued
 * behind a busy carrier wakes an idle one if one appeared meanwhile. So the group's CPUs are
 * all busy while any worker is runnable, a worker stays on its CPU while that CPU has time for
 * it, and a bound pool (one carrier) never leaves its CPU.
 *
 * <p>Cost per submission: the worker's state CAS, one queue insertion (a CAS and a node), a
 * volatile read of the carrier's state and of the group's idle count; when the carrier is idle
 * one {@code LockSupport.unpark}; when it is busy, one read of its watch flag (registering it
 * with the {@link CarrierWatch} the first time); a scan of the group's carriers only when the
 * preferred one is busy and another is idle or dormant.
 *
 * <p>Legend: I: final; V: atomic; H: a racy hint (benign: a stale value only picks another
 * carrier).
 */
final class CarrierGroup<W> implements CarriedWorkerHost {
    private static final System.Logger LOG = Log.LOG;

    final boolean highPri;                   // I
    /** I: each carrier is pinned to its own CPU (a bound pool's carrier). */
    final boolean pin;
    /**
     * I: where the carriers run when not pinned each to its CPU: an unbound pool's worker mask
     * ({@link WorkerPlacement#pinTo}), or null for anywhere. Do not modify.
     */
    final BitSet confinedTo;
    /** I: a carrier thread idle this long ends (the carrier stays, dormant). */
    final long keepAliveNanos;
    /**
     * How long the group's last awake carrier polls for work before it parks
     * ({@link Carrier#idle}): {@link Carrier#IDLE_SPIN_NANOS} for pinned carriers, none for the
     * others (Carrier says why). V, read as each idle period begins: fixed in production, set by
     * tests.
     */
    volatile long idleSpinNanos;
    /**
     * V: the pool is gone ({@link #retire}): a carrier thread ends as soon as it finds nothing
     * to run, not after the keep-alive.
     */
    volatile boolean retired;
    private final Carrier[] carriers;        // I
    private final CarrierListener<W> listener; // I
    final AtomicInteger idleCarriers = new AtomicInteger();    // V: carriers in IDLE
    final AtomicInteger dormantCarriers;                       // V: carriers in DORMANT
    final AtomicInteger threadsStarted = new AtomicInteger();  // V: carrier threads ever started
    final AtomicLong compensations = new AtomicLong();         // V: compensating threads started
    private int nextNew;                                       // H: turn for new workers

    /**
     * The carrier of bound pool {@code cpu}: {@code jwq/c3}, or {@code jwq/c3H} for a
     * high-priority pool; pinned when {@code jwq.pin} is on.
     */
    static <W> CarrierGroup<W> bound(int cpu, boolean highPri, CarrierListener<W> listener) {
        BitSet one = new BitSet();
        one.set(cpu);
        return new CarrierGroup<>("jwq/c", "", one, highPri, Settings.CURRENT.pin(),
                Settings.CURRENT.idleTimeoutNanos(), listener);
    }

    /**
     * Any thread: the pool is gone ({@code WorkerPool.destroy}); its carriers' threads end as
     * soon as they are idle, the idle ones now. A pool created and destroyed in a loop (a
     * workqueue built and closed, an agent-rewritten executor made and shut down) left its
     * carriers parked for the keep-alive, 300 s: 2,000 workqueues, 2,003 threads. A carrier
     * still needed (a dying pool's workers run their last continuations) starts a thread as a
     * dormant one does, which then ends at once when idle.
     */
    void retire() {
        retired = true;
        for (Carrier c : carriers) {
            c.wakeIfIdle();
        }
    }

    /**
     * The carriers of unbound pool {@code poolId}, one per CPU of {@code cpus} ({@code jwq/cu8.5}
     * is pool 8's carrier for CPU 5), confined together to {@code confinedTo} (null: anywhere).
     *
     * <p>Not one carrier per pinned CPU: Linux's unbound workers are affine to their pod's
     * cpumask and the scheduler picks the CPU, and so are jwq's platform unbound workers. A
     * carrier pinned alone to a CPU that another thread keeps busy (a submitter spinning, a
     * compute thread) waits for that thread's time slice, while the pod's other CPUs could run
     * it: measured at 100,000 submissions/s from one spinning thread, that wait was most of the
     * latency of unbound workqueues on carriers (bench/README.md, latency).
     */
    static <W> CarrierGroup<W> unbound(int poolId, BitSet cpus, boolean highPri, BitSet confinedTo,
            CarrierListener<W> listener) {
        return new CarrierGroup<>("jwq/cu" + poolId + ".", null, cpus, highPri, false, confinedTo,
                Settings.CURRENT.idleTimeoutNanos(), listener);
    }

    /**
     * Carriers named {@code prefix + cpu + suffix} for each CPU of {@code cpus} (a null suffix:
     * none, and no high-priority mark; an empty one: {@code H} when {@code highPri}).
     */
    CarrierGroup(String prefix, String suffix, BitSet cpus, boolean highPri, boolean pin, long keepAliveNanos,
            CarrierListener<W> listener) {
        this(prefix, suffix, cpus, highPri, pin, null, keepAliveNanos, listener);
    }

    /**
     * As above; when {@code pin} is false, the carriers run on {@code confinedTo} (null: anywhere).
     */
    CarrierGroup(String prefix, String suffix, BitSet cpus, boolean highPri, boolean pin, BitSet confinedTo,
            long keepAliveNanos, CarrierListener<W> listener) {
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("a carrier group needs at least one CPU");
        }
        if (keepAliveNanos <= 0) {
            throw new IllegalArgumentException("keepAliveNanos must be positive: " + keepAliveNanos);
        }
        this.highPri = highPri;
        this.pin = pin;
        this.confinedTo = pin ? null : confinedTo;
        this.keepAliveNanos = keepAliveNanos;
        this.idleSpinNanos = pin ? Carrier.IDLE_SPIN_NANOS : 0;
        this.listener = Objects.requireNonNull(listener, "listener");
        String tail = suffix == null ? "" : suffix + (highPri ? "H" : "");
        this.carriers = new Carrier[cpus.cardinality()];
        int i = 0;
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
            carriers[i] = new Carrier(this, i, cpu, prefix + cpu + tail);
            i++;
        }
        this.dormantCarriers = new AtomicInteger(carriers.length);
    }

    /* --------------- The engine's side --------------- */

    /**
     * A new virtual worker of this group, not started: {@code worker} is what the listener
     * will be given, {@code name} its thread's name (e.g. {@code jwq/3:1}), {@code body} what its
     * thread runs. Start it with {@code thread().start()}.
     *
     * @throws UnsupportedOperationException when this JVM does not grant access
     *         ({@link VirtualThreadAccess#unavailableReason()})
     */
    CarriedWorker<W> newWorker(W worker, String name, Runnable body) {
        CarriedWorker<W> cw = new CarriedWorker<>(worker, this);
        cw.bind(VirtualThreadAccess.unstarted(cw, name, body));
        return cw;
    }

    /** The group's carriers, one per CPU (a snapshot of their states is in their toString). */
    List<Carrier> carriers() {
        return List.of(carriers);
    }

    /** Carrier threads started so far, compensating ones included. */
    int threadsStarted() {
        return threadsStarted.get();
    }

    /** Compensating threads started so far (for pinned carriers and CPU-intensive items). */
    long compensations() {
        return compensations.get();
    }

    /* --------------- Placement --------------- */

    @Override
    public void submit(CarriedWorker<?> w) {
        Carrier c = place(w);
        c.enqueue(w);
        if (c.state() != Carrier.RUNNING) {
            c.wake();
            return;
        }
        // Behind a busy carrier: a carrier that went idle since place() looked takes it (it
        // re-checks all queues after announcing IDLE; we read the count after queueing), and
        // the watch looks for a pin while work waits here.
        if (idleCarriers.get() > 0) {
            Carrier idle = find(Carrier.IDLE, c.index);
            if (idle != null) {
                idle.wake();
            }
        }
        c.watch();
    }

    private Carrier place(CarriedWorker<?> w) {
        Carrier[] cs = carriers;
        if (cs.length == 1) {
            return cs[0];
        }
        Carrier last = w.lastCarrier;
        if (last != null && last.state() == Carrier.IDLE) {
            return last;
        }
        int from = last != null ? last.index : nextNew++ % cs.length;
        if (idleCarriers.get() > 0) {
            Carrier c = find(Carrier.IDLE, from);
            if (c != null) {
                return c;
            }
        }
        if (dormantCarriers.get() > 0) {
            Carrier c = find(Carrier.DORMANT, from);
            if (c != null) {
                return c;
            }
        }
        return last != null ? last : cs[Math.floorMod(from, cs.length)];
    }

    /** A carrier in {@code state}, looking from {@code from} on; null if none (racy). */
    private Carrier find(int state, int from) {
        Carrier[] cs = carriers;
        int n = cs.length;
        int start = Math.floorMod(from, n);
        for (int i = 0; i < n; i++) {
            Carrier c = cs[(start + i) % n];
            if (c.state() == state) {
                return c;
            }
        }
        return null;
    }

    /** A worker queued on another carrier of the group, taken for {@code thief}; null if none. */
    CarriedWorker<?> steal(Carrier thief) {
        Carrier[] cs = carriers;
        int n = cs.length;
        for (int i = 1; i < n; i++) {
            CarriedWorker<?> w = cs[(thief.index + i) % n].poll();
            if (w != null) {
                return w;
            }
        }
        return null;
    }

    /** Whether no carrier but one runs (racy): the others are idle or dormant. */
    boolean lastAwake() {
        return idleCarriers.get() + dormantCarriers.get() >= carriers.length;
    }

    /** Whether any carrier of the group has a worker queued. */
    boolean hasQueuedWork() {
        for (Carrier c : carriers) {
            if (c.hasQueued()) {
                return true;
            }
        }
        return false;
    }

    /* --------------- The listener, guarded --------------- */

    // Each call written out, not one helper taking a method reference: a lambda is a class spun
    // at run time, and the first workqueue's path spins none (bench/README "Load cost").

    @Override
    public void sleeping(CarriedWorker<?> w) {
        try {
            listener.sleeping(workerOf(w));
        } catch (Throwable t) {
            report("CarrierListener.sleeping(" + w + ")", t);
        }
    }

    @Override
    public void running(CarriedWorker<?> w) {
        try {
            listener.running(workerOf(w));
        } catch (Throwable t) {
            report("CarrierListener.running(" + w + ")", t);
        }
    }

    @Override
    public void terminated(CarriedWorker<?> w) {
        try {
            listener.terminated(workerOf(w));
        } catch (Throwable t) {
            report("CarrierListener.terminated(" + w + ")", t);
        }
    }

    @SuppressWarnings("unchecked")
    private W workerOf(CarriedWorker<?> w) {
        return ((CarriedWorker<W>) w).worker;
    }

    /**
     * A failure on a carrier that must not end it: to the default uncaught-exception handler if
     * there is one, else logged.
     */
    static void report(String what, Throwable t) {
        try {
            Thread.UncaughtExceptionHandler h = Thread.getDefaultUncaughtExceptionHandler();
            if (h != null) {
                h.uncaughtException(Thread.currentThread(), t);
            } else {
                LOG.log(System.Logger.Level.ERROR, "jwq: failure in " + what, t);
            }
        } catch (Throwable ignored) {
            // Reporting failed too: nothing more a carrier can do without risking its loop.
        }
    }

    @Override
    public String toString() {
        return "CarrierGroup" + List.of(carriers);
    }
}
