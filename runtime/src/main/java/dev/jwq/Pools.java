package dev.jwq;

import java.util.HashMap;
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
    /** The attributes that decide which unbound pool a workqueue shares ({@code workqueue_attrs}). */
    record UnboundAttrs(boolean highPri, AffinityScope scope, boolean strict) {}

    private static final WorkerPool[] BOUND = createBound();           // I: [cpuIndex * 2 + highPri]
    private static final Map<UnboundAttrs, WorkerPool> UNBOUND = new HashMap<>(); // P
    private static int nextId = BOUND.length;                          // P

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
        WorkerPool p = UNBOUND.computeIfAbsent(attrs, a -> new WorkerPool(nextId++, -1, a.highPri()));
        p.refcount++;
        return p;
    }

    /**
     * Drops a reference. A pool whose last reference goes stays registered, idle, for the next
     * workqueue with these attributes: until idle-worker culling (which comes with the engine)
     * can retire its threads, destroying it would only leak them.
     */
    static synchronized void putUnbound(WorkerPool p) {
        assert p.refcount > 0;
        p.refcount--;
    }
}
