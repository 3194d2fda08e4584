package dev.jwq;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of worker pools: two bound pools per usable CPU (normal and high priority),
 * created at start-up, and unbound pools shared by every unbound workqueue with equal
 * attributes, reference counted ({@code get_unbound_pool} / {@code put_unbound_pool}).
 *
 * <p>Legend: I: final; P: the registry's monitor ({@code synchronized}). A pool lock is never
 * taken while holding P.
 */
final class Pools {
    /**
     * The attributes that decide which unbound pool a workqueue's pod shares
     * ({@code workqueue_attrs} as {@code wqattrs_equal} compares them): priority, the pod's CPUs,
     * whether its workers are confined to them (strict), and where they may run: the pod's CPUs
     * when strict, else every CPU the workqueue may use (the pod then only decides where work
     * queues).
     */
    record UnboundAttrs(boolean highPri, BitSet cpus, BitSet allowed, boolean strict) {
        UnboundAttrs {
            cpus = (BitSet) cpus.clone();
            allowed = strict ? cpus : (BitSet) allowed.clone();
        }
    }

    private static final WorkerPool[] BOUND = createBound();           // I: [cpuIndex * 2 + highPri]
    private static final Map<UnboundAttrs, WorkerPool> UNBOUND = new HashMap<>(); // P
    private static int nextId = BOUND.length;                          // P

    static {
        WorkerBlockingHandler.install();
        Watchdog.start();
        Statistics.register();
    }

    private Pools() {}

    private static WorkerPool[] createBound() {
        WorkerPool[] pools = new WorkerPool[Cpus.count() * 2];
        for (int i = 0; i < Cpus.count(); i++) {
            pools[2 * i] = new WorkerPool(2 * i, Cpus.cpuAt(i), false);
            pools[2 * i + 1] = new WorkerPool(2 * i + 1, Cpus.cpuAt(i), true);
        }
        return pools;
    }

    /** The bound pool of the CPU at {@code cpuIndex}. */
    static WorkerPool bound(int cpuIndex, boolean highPri) {
        return BOUND[cpuIndex * 2 + (highPri ? 1 : 0)];
    }

    /** Gets (creating if needed) the unbound pool for {@code attrs} and takes a reference. */
    static synchronized WorkerPool getUnbound(UnboundAttrs attrs) {
        WorkerPool p = UNBOUND.computeIfAbsent(attrs, a -> {
            WorkerPool created = new WorkerPool(nextId++, a);
            JmxExport.poolCreated(created);
            return created;
        });
        p.refcount++;
        return p;
    }

    /**
     * Drops a reference. The last one destroys the pool ({@code put_unbound_pool}): it leaves the
     * registry and its workers retire (idle ones now, busy ones when they finish).
     */
    static void putUnbound(WorkerPool p) {
        synchronized (Pools.class) {
            assert p.refcount > 0;
            if (--p.refcount > 0) {
                return;
            }
            UNBOUND.values().remove(p);
        }
        JmxExport.poolGone(p);
        // Outside P: a pool lock is never taken while holding P.
        p.lock();
        try {
            p.destroy();
        } finally {
            p.unlock();
        }
    }

    /** Every pool alive now: the bound ones, then the unbound ones (for the watchdog and dumps). */
    static List<WorkerPool> all() {
        List<WorkerPool> all = new ArrayList<>(List.of(BOUND));
        synchronized (Pools.class) {
            all.addAll(UNBOUND.values());
        }
        return all;
    }
}
