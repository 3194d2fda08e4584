package dev.jwq;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a workqueue's new items go: its current PoolWorkqueues and the one that serves each
 * usable CPU ({@code wq->cpu_pwq}). Immutable: a change of an unbound workqueue's attributes
 * builds a new routing and the workqueue publishes it whole.
 *
 * <p>An unbound workqueue has one pwq per pod: the CPUs of the pod of its affinity scope that
 * holds the CPU, within the workqueue's CPUs; a CPU whose pod has none of them queues on the
 * default pod, the workqueue's CPUs themselves ({@code wq_calc_pod_cpumask}).
 */
final class PwqRouting {
    /** An unbound workqueue's attributes (scope resolved), or null for a per-CPU workqueue. */
    final UnboundAttributes attrs;
    /** The distinct pwqs, in the order of the first CPU each serves. */
    final List<PoolWorkqueue> pwqs;
    private final PoolWorkqueue[] byCpuIndex;
    /** The pwq every CPU queues on when there is only one, else null: queueing then needs no CPU lookup. */
    final PoolWorkqueue single;

    private PwqRouting(UnboundAttributes attrs, PoolWorkqueue[] byCpuIndex) {
        this.attrs = attrs;
        this.byCpuIndex = byCpuIndex;
        List<PoolWorkqueue> distinct = new ArrayList<>();
        for (PoolWorkqueue pwq : byCpuIndex) {
            if (!distinct.contains(pwq)) {
                distinct.add(pwq);
            }
        }
        this.pwqs = List.copyOf(distinct);
        this.single = pwqs.size() == 1 ? pwqs.get(0) : null;
    }

    /** The pwq serving the usable CPU at {@code cpuIndex}, or the caller's CPU's for {@link Cpus#ANY}. */
    PoolWorkqueue forCpuIndex(int cpuIndex) {
        return cpuIndex == Cpus.ANY ? byCpuIndex[Cpus.currentIndex()] : byCpuIndex[cpuIndex];
    }

    /** Other CPUs an outside thread's item may go to before its own: a few, nearest first. */
    private static final int NEARBY = 4;

    /**
     * A per-CPU workqueue's pwq for an item that a thread which is not a jwq worker queued
     * without naming a CPU. Such a thread is not a CPU: it runs on one, which it keeps busy, and
     * a worker pinned there waits for its time slice to end (measured: p50 1 ms from a thread
     * queueing 100k items/s, against 14 us unpinned). So the item goes to the first of the next
     * few CPUs whose pool has nothing running, nothing waiting and nothing announced, and to the
     * caller's own CPU when all of those are busy, where it waits its turn anyway. Linux has no
     * such case: a task queueing on its CPU is preempted by the woken kworker. A worker's own
     * items, and {@code queueOn}, stay where they are asked (a read of a few pools' hints, no
     * lock; a stale hint only picks a busier CPU).
     */
    PoolWorkqueue forOutsideCaller() {
        int n = byCpuIndex.length;
        int here = Cpus.currentIndex();
        for (int k = 1; k <= NEARBY && k < n; k++) {
            PoolWorkqueue pwq = byCpuIndex[(here + k) % n];
            if (pwq.pool.looksIdle()) {
                return pwq;
            }
        }
        return byCpuIndex[here];
    }

    /** A per-CPU workqueue's routing: one pwq per usable CPU, on that CPU's bound pool. */
    static PwqRouting perCpu(boolean highPri, Function<WorkerPool, PoolWorkqueue> newPwq) {
        PoolWorkqueue[] byCpu = new PoolWorkqueue[Cpus.count()];
        for (int i = 0; i < byCpu.length; i++) {
            byCpu[i] = newPwq.apply(Pools.bound(i, highPri));
        }
        return new PwqRouting(null, byCpu);
    }

    /**
     * An unbound workqueue's routing for {@code attrs} (CPUs usable, scope resolved): one pwq per
     * pod, each on the unbound pool of its attributes, which takes a pool reference per pwq.
     */
    static PwqRouting unbound(UnboundAttributes attrs, Function<WorkerPool, PoolWorkqueue> newPwq) {
        BitSet allowed = Cpus.bits(attrs.cpus());
        Map<BitSet, PoolWorkqueue> byPod = new LinkedHashMap<>();
        PoolWorkqueue[] byCpu = new PoolWorkqueue[Cpus.count()];
        BitSet[] pods = podsByCpuIndex(attrs, allowed);
        for (int i = 0; i < byCpu.length; i++) {
            byCpu[i] = byPod.computeIfAbsent(pods[i], pod -> newPwq.apply(
                    Pools.getUnbound(new Pools.UnboundAttrs(attrs.highPriority(), pod, allowed, attrs.strict()))));
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
