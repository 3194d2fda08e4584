package dev.jwq;

import dev.jwq.cpu.NativeCpu;
import dev.jwq.jfr.Tracepoints;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts a worker thread where its pool says, from the worker's own thread as it starts
 * ({@code worker_attach_to_pool}: {@code set_cpus_allowed_ptr} and the nice value of
 * {@code create_worker}): a bound pool's workers are pinned to its CPU when {@code jwq.pin} is
 * on, and a high-priority pool's workers get nice -20, or the best nice value the process may
 * set.
 *
 * <p>Where the native calls are unavailable (JDK 21, not Linux) or refused (a cpuset without
 * that CPU, no CAP_SYS_NICE), the worker runs where the OS puts it and everything else works
 * the same; one warning per reason per process says so, through {@code System.Logger}
 * {@code dev.jwq}, as Linux's {@code WARN_ON_ONCE} does.
 */
final class WorkerPlacement {
    private static final System.Logger LOG = Log.LOG;

    // Legend: V: lock-free, any worker thread (each placement is independent of the others).

    /** Warnings given so far, by text: one per reason per process (a handful of errno texts at most). */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet(); // V: add() decides who warns

    /** Workers and carriers placed so far: shows the engine calls {@link #apply(Worker)} and {@link #applyCarrier}. */
    private static final AtomicLong PLACED = new AtomicLong();               // V

    private WorkerPlacement() {}

    /**
     * Places {@code w}, the calling thread: the first statement of {@code Worker.run()}. When
     * {@code jwq.pin} is on, a bound pool's worker is pinned to the pool's CPU and a strict
     * unbound pool's to its pod ({@link #pinTo}).
     */
    static void apply(Worker w) {
        apply(w, Settings.CURRENT.pin() ? pinTo(w.pool) : null);
    }

    /**
     * Where a pool's workers are pinned: a bound pool's to its CPU; a strict unbound pool's to
     * its pod's CPUs, a non-strict one's to its workqueues' CPUs (its pod only decides where
     * work queues); nowhere when that is every usable CPU (there is nothing to confine).
     */
    static BitSet pinTo(WorkerPool p) {
        if (p.cpu >= 0) {
            return cpuSet(p.cpu);
        }
        return p.allowed.equals(Cpus.usableSet()) ? null : p.allowed;
    }

    /**
     * Places {@code w}, the calling thread: pins it to {@code cpus} (null: no pinning; the caller
     * decides, e.g. from the pool's pod and strictness) and raises its priority if its pool is
     * high-priority.
     */
    static void apply(Worker w, BitSet cpus) {
        assert Thread.currentThread() == w.thread : "a worker places itself: " + Thread.currentThread() + " is not " + w;
        PLACED.incrementAndGet();
        placeCurrentThread(cpus, w.pool.highPri);
    }

    /** Places the calling carrier thread: pinned to {@code cpus} unless null, priority raised if {@code highPri}. */
    static void applyCarrier(BitSet cpus, boolean highPri) {
        PLACED.incrementAndGet();
        placeCurrentThread(cpus, highPri);
    }

    /** Pins the calling thread to {@code cpus} unless null, and raises its priority if {@code highPri}. */
    static void placeCurrentThread(BitSet cpus, boolean highPri) {
        if (cpus == null && !highPri) {
            return; // nothing to do: the native calls are not even set up (NativeCpu.get)
        }
        NativeCpu nativeCpu = NativeCpu.get();
        if (cpus != null && !nativeCpu.pinCurrentThread(cpus)) {
            String reason = nativeCpu.lastFailure();
            if (warnOnce("jwq: workers are not pinned: " + reason)) {
                Tracepoints.pinningUnavailable(String.valueOf(reason));
            }
        }
        if (highPri && !nativeCpu.raiseCurrentThreadPriority()) {
            warnOnce("jwq: cannot raise the priority of high-priority workers: " + nativeCpu.lastFailure());
        }
    }

    /** Workers placed since start. */
    static long placed() {
        return PLACED.get();
    }

    /** Logs {@code message} as a warning the first time it is seen; returns whether it did. */
    static boolean warnOnce(String message) {
        if (!WARNED.add(message)) {
            return false;
        }
        LOG.log(System.Logger.Level.WARNING, message);
        return true;
    }

    private static BitSet cpuSet(int cpu) {
        BitSet set = new BitSet(cpu + 1);
        set.set(cpu);
        return set;
    }
}
