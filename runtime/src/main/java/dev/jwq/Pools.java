package dev.jwq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of worker pools: two bound pools per usable CPU (normal and high priority),
 * each created when first used (an idle process on 256 CPUs holds none of its 512), and unbound pools shared by every unbound workqueue with equal
 * attributes, reference counted ({@code get_unbound_pool} / {@code put_unbound_pool}).
 *
 * <p>Legend: I: final; P: the registry's monitor ({@code synchronized}); V. A pool lock is never
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

        // equals and hashCode written out: a record's own are bootstrapped (ObjectMethods)
        // with method handles on first use, measured 0.75 MiB of heap and 40 classes in a
        // process whose first workqueue asks for its pool.

        @Override
        public boolean equals(Object o) {
            return o instanceof UnboundAttrs a && highPri == a.highPri && strict == a.strict && cpus.equals(a.cpus)
                    && allowed.equals(a.allowed);
        }

        @Override
        public int hashCode() {
            return ((Boolean.hashCode(highPri) * 31 + cpus.hashCode()) * 31 + allowed.hashCode()) * 31
                    + Boolean.hashCode(strict);
        }
    }

    /** V, written once each under P: the bound pools made so far, [cpuIndex * 2 + highPri], null until first used. */
    private static final WorkerPool[] BOUND = new WorkerPool[Cpus.count() * 2];
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(WorkerPool[].class);
    private static final Map<UnboundAttrs, WorkerPool> UNBOUND = new HashMap<>(); // P
    private static int nextId = BOUND.length;                          // P

    static {
        WorkerBlockingHandler.install();
        Watchdog.start();
        Statistics.register();
    }

    private Pools() {}

    /** The bound pool of the CPU at {@code cpuIndex}, made now if this is its first use. */
    static WorkerPool bound(int cpuIndex, boolean highPri) {
        int slot = cpuIndex * 2 + (highPri ? 1 : 0);
        WorkerPool p = (WorkerPool) SLOT.getAcquire(BOUND, slot); // pairs with the release in makeBound
        return p != null ? p : makeBound(slot);
    }

    /** The bound pool of the CPU at {@code cpuIndex} if it has been made, else null (nothing ran there). */
    static WorkerPool boundIfMade(int cpuIndex, boolean highPri) {
        return (WorkerPool) SLOT.getAcquire(BOUND, cpuIndex * 2 + (highPri ? 1 : 0));
    }

    /** Makes bound pool {@code slot} unless a racing caller did; its id is its slot, as if all were made at start. */
    private static synchronized WorkerPool makeBound(int slot) {
        WorkerPool p = (WorkerPool) SLOT.getAcquire(BOUND, slot);
        if (p == null) {
            p = new WorkerPool(slot, Cpus.cpuAt(slot / 2), slot % 2 == 1);
            SLOT.setRelease(BOUND, slot, p); // published whole: readers take no lock
            JmxExport.poolCreated(p); // after joining the registry, as JmxExport requires
        }
        return p;
    }

    /** Gets (creating if needed) the unbound pool for {@code attrs} and takes a reference. */
    static synchronized WorkerPool getUnbound(UnboundAttrs attrs) {
        WorkerPool p = UNBOUND.get(attrs);
        if (p == null) {
            p = new WorkerPool(nextId++, attrs);
            UNBOUND.put(attrs, p);
            JmxExport.poolCreated(p); // after joining the registry, as JmxExport requires
        }
        p.refcount++;
        return p;
    }

    /**
     * How long an unbound pool that no workqueue uses any more stays in the registry, with its
     * workers, before it is destroyed, unless a workqueue of equal attributes takes it again
     * meanwhile. Linux destroys it at once ({@code put_unbound_pool}); here that made a
     * workqueue built, used and closed in a loop (or an executor the agent rewrote, made and
     * shut down) create a pool each time: two worker threads started and retired, about 380-530
     * us a workqueue where the JDK's pools take 100-180 us (bench/README.md, session 42). As
     * long as a cached thread pool's keep-alive is not needed: a loop's next workqueue comes
     * within microseconds, and an abandoned pool's threads should not outlive it by much.
     */
    static final long LINGER_NANOS = 2_000_000_000L;

    /**
     * Drops a reference. After the last one the pool lingers ({@link #LINGER_NANOS}), then is
     * destroyed ({@link #destroyIfUnused}): it leaves the registry and its workers retire (idle
     * ones now, busy ones when they finish).
     */
    static void putUnbound(WorkerPool p) {
        synchronized (Pools.class) {
            assert p.refcount > 0;
            if (--p.refcount > 0) {
                return;
            }
        }
        p.linger();
    }

    /** Tests only: destroys now every unbound pool that lingers unused, as if its linger had passed. */
    static void destroyLingeringNow() {
        List<WorkerPool> unused = new ArrayList<>();
        synchronized (Pools.class) {
            for (WorkerPool p : UNBOUND.values()) {
                if (p.refcount == 0) {
                    unused.add(p);
                }
            }
        }
        for (WorkerPool p : unused) {
            p.lock();
            p.destroyIfUnusedAndUnlock();
        }
    }

    /**
     * L ({@code p}'s; the timer thread, once the pool has lingered): destroys {@code p} unless a
     * workqueue took it again. Returns whether it did: the caller reports the pool gone
     * ({@link JmxExport#poolGone}) once it has let the lock go.
     */
    static boolean destroyIfUnused(WorkerPool p) {
        assert p.isLocked();
        synchronized (Pools.class) {
            if (p.refcount > 0 || !UNBOUND.values().remove(p)) {
                return false;
            }
        }
        p.destroy();
        return true;
    }

    /** Every pool alive now: the bound ones made so far, then the unbound ones (for the watchdog and dumps). */
    static List<WorkerPool> all() {
        List<WorkerPool> all = new ArrayList<>();
        for (int slot = 0; slot < BOUND.length; slot++) {
            WorkerPool p = (WorkerPool) SLOT.getAcquire(BOUND, slot);
            if (p != null) {
                all.add(p);
            }
        }
        synchronized (Pools.class) {
            all.addAll(UNBOUND.values());
        }
        return all;
    }
}
