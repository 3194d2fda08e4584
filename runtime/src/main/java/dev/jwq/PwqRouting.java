package dev.jwq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a workqueue's new items go: its current PoolWorkqueues and the one that serves each
 * usable CPU ({@code wq->cpu_pwq}). An unbound workqueue's is immutable: a change of its
 * attributes builds a new routing and the workqueue publishes it whole.
 *
 * <p>A per-CPU workqueue's pwq for a CPU, and that CPU's pool, are made when an item is first
 * queued there ({@link PwqSet#linkPerCpu}), not one per usable CPU up front: on 256 CPUs, 200
 * per-CPU workqueues would otherwise hold 51,200 pwqs and 512 pools that a process using a few
 * CPUs never touches. Its slots are written once each (under the workqueue's mutex) and read
 * with acquire.
 *
 * <p>An unbound workqueue has one pwq per pod: the CPUs of the pod of its affinity scope that
 * holds the CPU, within the workqueue's CPUs; a CPU whose pod has none of them queues on the
 * default pod, the workqueue's CPUs themselves ({@code wq_calc_pod_cpumask}).
 */
final class PwqRouting {
    /** An unbound workqueue's attributes (scope resolved), or null for a per-CPU workqueue. */
    final UnboundAttributes attrs;
    /** An unbound workqueue's distinct pwqs, in the order of the first CPU each serves; empty for a per-CPU one (made on use). */
    final List<PoolWorkqueue> pwqs;
    /** I for an unbound workqueue; a per-CPU one's slots are V: null until linked, then written once (release) under W. */
    private final PoolWorkqueue[] byCpuIndex;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(PoolWorkqueue[].class);
    /** The pwq every CPU queues on when there is only one, else null: queueing then needs no CPU lookup. */
    final PoolWorkqueue single;
    /** A per-CPU workqueue's: its pools' priority, and the set that makes the pwq of a CPU index not used yet; null if unbound. */
    private final boolean highPri;  // I
    private final PwqSet linker;    // I

    private PwqRouting(UnboundAttributes attrs, PoolWorkqueue[] byCpuIndex) {
        this.attrs = attrs;
        this.byCpuIndex = byCpuIndex;
        this.highPri = false;
        this.linker = null;
        List<PoolWorkqueue> distinct = new ArrayList<>();
        for (PoolWorkqueue pwq : byCpuIndex) {
            if (!distinct.contains(pwq)) {
                distinct.add(pwq);
            }
        }
        this.pwqs = List.copyOf(distinct);
        this.single = pwqs.size() == 1 ? pwqs.get(0) : null;
    }

    /** A per-CPU routing: no pwq yet; {@code linker} makes the one of a CPU index. */
    private PwqRouting(boolean highPri, PwqSet linker) {
        this.attrs = null;
        this.byCpuIndex = new PoolWorkqueue[Cpus.count()];
        this.pwqs = List.of();
        this.single = null;
        this.highPri = highPri;
        this.linker = linker;
    }

    /** The pwq serving the usable CPU at {@code cpuIndex}, or the caller's CPU's for {@link Cpus#ANY}. */
    PoolWorkqueue forCpuIndex(int cpuIndex) {
        int i = cpuIndex != Cpus.ANY ? cpuIndex : byCpuIndex.length == 1 ? 0 : Cpus.currentIndex();
        if (linker == null) {
            return byCpuIndex[i];
        }
        PoolWorkqueue pwq = linked(i);
        return pwq != null ? pwq : linker.linkPerCpu(i, highPri);
    }

    /** A per-CPU routing's pwq of CPU index {@code i}, or null if nothing was queued there yet (acquire: pairs with {@link #publish}). */
    PoolWorkqueue linked(int i) {
        return (PoolWorkqueue) SLOT.getAcquire(byCpuIndex, i);
    }

    /** W: publishes the new pwq of CPU index {@code i} of a per-CPU routing (release: built whole before). */
    void publish(int i, PoolWorkqueue pwq) {
        assert linker != null && byCpuIndex[i] == null;
        SLOT.setRelease(byCpuIndex, i, pwq);
    }

    /** Other CPUs an outside thread's item may go to before its own: a few, nearest first. */
    private static final int NEARBY = 4;

    /**
     * Items in flight the caller's own CPU counts as having beyond its own, when work waits on
     * every nearby CPU ({@link #forOutsideCaller}): an item there waits for the caller's time
     * slice (the scheduler often lets a woken worker pinned there preempt a thread that keeps
     * the CPU busy only at the slice's end, a millisecond or more), where a short item ahead on a
     * nearby CPU costs microseconds. Measured on per-CPU latency from one spin-paced thread
     * ({@code bench/alternate.sh}, interleaved forks, medians):
     * <ul>
     *   <li>0 -> 2 (2026-12-05): p99 at 100k/s 371 -> 75 us on platform workers and 798 -> 194
     *       on virtual ones, at 10k/s 219 -> 109 (ForkJoinPool 46-56 and 207 in the same runs);
     *       p50 5.5 -> 11.9 us at 100k/s (items that found the caller's CPU free ran sooner
     *       there);
     *   <li>2 -> 8 (session 22): p99 at 100k/s on virtual workers 294-466 us (median of five
     *       forks 329) -> 65-333 (98), on platform workers 267 -> 68 (three forks each),
     *       ForkJoinPool 58-102 (65) beside them; 16 and 32 measured 183-677. A probe that kept
     *       every item's latency found the slow items at 2 one by one, every other item for a
     *       millisecond or two, all starting at the same instant: the caller's CPU's items,
     *       waiting for the caller's slice. At 10k/s nothing changed beyond the noise (p99
     *       93-251 against 138-254 us).
     * </ul>
     * A batch of 10,000 items of 1 ms CPU and 4 ms sleep from one thread, which the in-flight
     * rule exists for: 1.03-1.08 of the ideal wall time at 0 and 2; at 8, 1.090-1.126 (median of
     * five 1.105) against 1.076-1.132 (1.088) at 2 from one thread, and 1.058 against 1.053
     * from two.
     */
    static final int CALLERS_CPU_PENALTY = 8;

    /**
     * A per-CPU workqueue's pwq for an item that a thread which is not a jwq worker queued
     * without naming a CPU. Such a thread is not a CPU: it runs on one, which it keeps busy, and
     * a worker pinned there waits for its time slice to end (measured: p50 1 ms from a thread
     * queueing 100k items/s, against 14 us unpinned). So the item goes to the first of the next
     * few CPUs whose pool has nothing running, nothing waiting and nothing announced; failing
     * that, to the first whose pool runs an item with nothing waiting behind it (the item waits
     * for that one to end, block or hog, which is short next to a time slice: with the
     * idle-only rule, the items that arrived while the nearby worker ran fell back to the
     * caller's CPU and made the median latency at 100k/s hundreds of microseconds); and when work
     * already waits on all of those, to whichever of them and the caller's own CPU has the
     * fewest of this workqueue's items in flight ({@link #inFlight}), the caller's CPU counted
     * with {@link #CALLERS_CPU_PENALTY} more (its own on a tie). Linux has no such case: a
     * task queueing on its CPU is preempted by the woken
     * kworker. A worker's own items, and {@code queueOn}, stay where they are asked (a read of
     * a few pools' hints, no lock; a stale hint only picks a busier CPU).
     */
    PoolWorkqueue forOutsideCaller() {
        int n = byCpuIndex.length;
        int here = n == 1 ? 0 : Cpus.currentIndex(); // one CPU: no lookup (a per-CPU routing has no `single`)
        int last = Math.min(NEARBY, n - 1);
        for (int k = 1; k <= last; k++) {
            int i = (here + k) % n;
            // A pool not made yet has never run anything: idle. Its pwq is made only if chosen.
            WorkerPool pool = Pools.boundIfMade(i, highPri);
            if (pool == null || pool.looksIdle()) {
                return forCpuIndex(i);
            }
        }
        for (int k = 1; k <= last; k++) {
            int i = (here + k) % n;
            if (Pools.boundIfMade(i, highPri).nothingWaits()) {
                return forCpuIndex(i);
            }
        }
        // Work waits everywhere: only now read the in-flight counts (lines their queuers write).
        int leastLoaded = here;
        int leastInFlight = inFlight(here) + CALLERS_CPU_PENALTY;
        for (int k = 1; k <= last; k++) {
            int i = (here + k) % n;
            int f = inFlight(i);
            if (f < leastInFlight) {
                leastLoaded = i;
                leastInFlight = f;
            }
        }
        return forCpuIndex(leastLoaded);
    }

    /**
     * H: this workqueue's items in flight on the CPU at index {@code i} (0 before its pwq is made),
     * a racy snapshot. With work waiting everywhere, an outside caller's item goes to the CPU with
     * the fewest, its own on a tie: a thread queueing a batch from one CPU otherwise piled it on
     * that CPU once the nearby one was busy (measured: 10,000 items of 1 ms CPU and 4 ms sleep
     * took 1.9x the ideal wall time on carriers, one CPU doing nearly all of it).
     */
    private int inFlight(int i) {
        PoolWorkqueue pwq = linked(i);
        return pwq == null ? 0 : pwq.nrInFlightTotal();
    }

    /**
     * A per-CPU workqueue's routing: one pwq per usable CPU, on that CPU's bound pool, each made
     * by {@code linker} when first queued on (under the workqueue's mutex, which it takes).
     * The set itself, not a function: a lambda is a class spun at run time, and creating a
     * workqueue spins none (bench/README "Load cost").
     */
    static PwqRouting perCpu(boolean highPri, PwqSet linker) {
        return new PwqRouting(highPri, linker);
    }

    /**
     * An unbound workqueue's routing for {@code attrs} (CPUs usable, scope resolved): one pwq per
     * pod, each on the unbound pool of its attributes, which takes a pool reference per pwq. The
     * pwqs are {@code wq}'s, starting with {@code maxActive} and {@code workColor}, max_active
     * counted across them by {@code active}.
     */
    static PwqRouting unbound(UnboundAttributes attrs, Workqueue wq, int maxActive, int workColor, UnboundActive active) {
        BitSet allowed = Cpus.bits(attrs.cpus());
        Map<BitSet, PoolWorkqueue> byPod = new LinkedHashMap<>();
        PoolWorkqueue[] byCpu = new PoolWorkqueue[Cpus.count()];
        BitSet[] pods = podsByCpuIndex(attrs, allowed);
        for (int i = 0; i < byCpu.length; i++) {
            PoolWorkqueue pwq = byPod.get(pods[i]); // not computeIfAbsent: no lambda spun
            if (pwq == null) {
                WorkerPool pool = Pools.getUnbound(new Pools.UnboundAttrs(attrs.highPriority(), pods[i], allowed, attrs.strict()));
                pwq = new PoolWorkqueue(wq, pool, maxActive, workColor, active);
                byPod.put(pods[i], pwq);
            }
            byCpu[i] = pwq;
        }
        return new PwqRouting(attrs, byCpu);
    }

    /** The pod each usable CPU queues on under {@code attrs} (scope resolved; {@code allowed}: its CPUs). */
    private static BitSet[] podsByCpuIndex(UnboundAttributes attrs, BitSet allowed) {
        List<BitSet> scopePods = Cpus.topology().pods(attrs.affinityScope());
        BitSet[] pods = new BitSet[Cpus.count()];
        for (int i = 0; i < pods.length; i++) {
            int pod = Cpus.topology().podIndexOf(Cpus.cpuAt(i), attrs.affinityScope());
            BitSet cpus = pod >= 0 ? (BitSet) scopePods.get(pod).clone() : new BitSet();
            cpus.and(allowed);
            pods[i] = cpus.isEmpty() ? allowed : cpus;
        }
        return pods;
    }
}
