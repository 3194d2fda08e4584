package dev.jwq;

import dev.jwq.timer.Timer;
import dev.jwq.timer.TimerWheel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The pool workqueues of one {@link Workqueue} ({@code wq->pwqs}) and where new items go: it
 * builds them ({@link PwqRouting}), installs new ones and retires old ones when an unbound
 * workqueue's attributes change ({@code apply_workqueue_attrs}), releases retired ones once they
 * have drained ({@code pwq_release_workfn}), counts the pwqs with items in flight, and sums
 * their statistics, released pwqs' included. The workqueue keeps its API and its own state
 * (run state, max_active, freezing, draining) and asks this class for what concerns its pwqs.
 *
 * <p>Tags (the package legend): I, W ({@link #mutex}, the workqueue's), V.
 */
final class PwqSet {
    private final Workqueue wq;                             // I
    /** I: the workqueue's mutex: changes of the set are made under it. */
    private final ReentrantLock mutex;
    /** I: an unbound workqueue's max_active across its pwqs ({@link UnboundActive}), else null. */
    final UnboundActive unboundActive;
    /** V, written under W and the flush mutex: where new items go; an unbound workqueue's attributes. */
    private volatile PwqRouting routing;
    /** V, changed under W: the routing's pwqs and retired ones not released yet, oldest first. */
    private final CopyOnWriteArrayList<PoolWorkqueue> live = new CopyOnWriteArrayList<>();
    /** W: the counters of released pwqs. */
    private final PwqCounters releasedCounters = new PwqCounters();
    /** V: pwqs with items in flight. */
    private final AtomicInteger busy = new AtomicInteger();
    /** W: the max_active every pwq was last given (0 while frozen): a per-CPU pwq made later starts with it. */
    private int maxActive;
    /** W: whether pwqs refuse queueing from outside now (draining, shut down): a per-CPU pwq made later does too. */
    private boolean refuseExternal;
    /**
     * Releases retired pwqs that went idle: off the pool lock their last item ended under (it
     * takes W). Timer thread, which never waits for a pool lock (the carrier watch runs there),
     * nor for W, whose holders wait for pool locks: it only tries them, and comes back a tick
     * later ({@link WorkerPool#BUSY_RETRY_NANOS}) while W or a pool lock it needs is busy.
     */
    private final Timer releaser = new Timer() {
        @Override
        protected void expire() {
            if (mutex.tryLock()) {
                boolean done;
                try {
                    done = releaseIdleRetired(true);
                } finally {
                    mutex.unlock();
                }
                if (done) {
                    return;
                }
            }
            TimerWheel.shared().arm(this, WorkerPool.BUSY_RETRY_NANOS); // a no-op when armed meanwhile
        }
    };

    /**
     * The pwqs of a per-CPU workqueue: one per usable CPU, on that CPU's bound pool, each made
     * when an item is first queued on its CPU ({@link #linkPerCpu}).
     */
    static PwqSet perCpu(Workqueue wq, ReentrantLock mutex, boolean highPri, int maxActive) {
        PwqSet set = new PwqSet(wq, mutex, null);
        set.maxActive = maxActive; // before publication: no lock needed yet
        set.publish(PwqRouting.perCpu(highPri, set));
        return set;
    }

    /**
     * The pwq of CPU index {@code cpuIndex} of a per-CPU workqueue, made now if nothing was queued
     * there before ({@code link_pwq}, done on first use): under W and the flush mutex, as an
     * attribute change makes its pwqs, so it starts with the max_active, the refusal of outside
     * queueing and the work color every other pwq has, and no flush or setting misses it. Takes
     * W: the queuer holds no pool lock (lock order W, F, pool locks, P).
     */
    PoolWorkqueue linkPerCpu(int cpuIndex, boolean highPri) {
        mutex.lock();
        try {
            PwqRouting r = routing;
            PoolWorkqueue pwq = r.linked(cpuIndex);
            if (pwq != null) {
                return pwq; // a racing queuer made it
            }
            int color = wq.flusher.lockWorkColor();
            try {
                PoolWorkqueue made = new PoolWorkqueue(wq, Pools.bound(cpuIndex, highPri), maxActive, color, null);
                made.refuseExternal = refuseExternal; // not yet published: the release below publishes it
                live.add(made);
                r.publish(cpuIndex, made);
                return made;
            } finally {
                wq.flusher.unlockWorkColor();
            }
        } finally {
            mutex.unlock();
        }
    }

    /**
     * The pwqs of an unbound workqueue: one per pod of the affinity scope (an ordered workqueue:
     * one for the whole process, which is what keeps its order); max_active counted across them.
     */
    static PwqSet unbound(Workqueue wq, ReentrantLock mutex, UnboundAttributes attrs, int maxActive) {
        UnboundActive shared = new UnboundActive(maxActive);
        PwqSet set = new PwqSet(wq, mutex, shared);
        PwqRouting r = PwqRouting.unbound(attrs, wq, maxActive, 0, shared);
        if (r.pwqs.size() == 1) {
            r.pwqs.get(0).makeSolo(); // before publication: no lock needed yet
        }
        set.publish(r);
        return set;
    }

    private PwqSet(Workqueue wq, ReentrantLock mutex, UnboundActive unboundActive) {
        this.wq = wq;
        this.mutex = mutex;
        this.unboundActive = unboundActive;
    }

    private void publish(PwqRouting r) {
        live.addAll(r.pwqs);
        routing = r;
    }

    /** Where new items go now (a volatile read). */
    PwqRouting routing() {
        return routing;
    }

    /** The routing's pwqs and retired ones still draining, oldest first (a snapshot when iterated). */
    List<PoolWorkqueue> all() {
        return live;
    }

    /** Runs {@code action} on each pwq under its pool lock, one pool at a time. */
    void forEachLocked(Consumer<PoolWorkqueue> action) {
        PoolWorkqueue.forEachLocked(live, action);
    }

    /* --------------- Changing an unbound workqueue's attributes (W) --------------- */

    /**
     * W and the flush mutex: builds and publishes the pwqs of {@code attrs}, whose new items get
     * {@code workColor}, with max_active {@code maxActive}; an ordered workqueue's new pwq is
     * plugged while older ones live, and new pwqs refuse outside queueing while {@code draining}.
     * Then the old pwqs are retired.
     */
    void replace(UnboundAttributes attrs, int workColor, int maxActive, boolean ordered, boolean draining) {
        assert mutex.isHeldByCurrentThread();
        List<PoolWorkqueue> old = routing.pwqs;
        PoolWorkqueue solo = unboundActive.solo;
        if (solo != null) {
            // More pwqs are coming: the one that counted max_active alone hands its count over first.
            solo.locked(PoolWorkqueue::shareCount);
        }
        PwqRouting next = PwqRouting.unbound(attrs, wq, maxActive, workColor, unboundActive);
        for (PoolWorkqueue pwq : next.pwqs) {
            // Not yet published: the volatile write of the routing below publishes these.
            pwq.plugged = ordered;
            pwq.refuseExternal = draining;
        }
        publish(next);
        retire(old);
    }

    /**
     * W: the pwqs no longer routed to take no new items (a queuer that picked one before the
     * change sees it retired and picks again); idle ones are released now, the rest when their
     * last item ends.
     */
    private void retire(List<PoolWorkqueue> old) {
        PoolWorkqueue.forEachLocked(old, pwq -> pwq.retired = true);
        releaseIdleRetired(false);
    }

    /**
     * W: releases every retired pwq with nothing in flight ({@code pwq_release_workfn}): its
     * counters join the workqueue's, it leaves the list and drops its pool reference; then the
     * oldest pwq left is unplugged. {@code tryOnly} (the timer thread): pool locks are only
     * tried, and a busy one's step is left for the next call; returns whether nothing was left.
     */
    private boolean releaseIdleRetired(boolean tryOnly) {
        assert mutex.isHeldByCurrentThread();
        boolean done = true;
        for (PoolWorkqueue pwq : live) {
            // Read before the lock, so that a busy pool of a pwq with nothing to release costs no
            // retry: retired changes only under W, and a pwq whose count falls to 0 later arms
            // the releaser then (pwqIdle).
            if (!pwq.retired || pwq.nrInFlightTotal() != 0) {
                continue;
            }
            WorkerPool p = pwq.pool;
            if (!tryOnly) {
                p.lock();
            } else if (!p.tryLock()) {
                done = false;
                continue;
            }
            try {
                if (pwq.retired && pwq.nrInFlightTotal() == 0 && pwq.markReleased()) {
                    releasedCounters.add(pwq);
                    live.remove(pwq);
                    Pools.putUnbound(p); // P after a pool lock, as the lock order has it
                }
            } finally {
                p.unlock();
            }
        }
        PoolWorkqueue oldest = live.isEmpty() ? null : live.get(0);
        if (oldest != null && oldest.plugged) { // plugged only before it is published: false stays false
            if (!tryOnly) {
                oldest.locked(PoolWorkqueue::unplug);
            } else if (oldest.pool.tryLock()) {
                try {
                    oldest.unplug();
                } finally {
                    oldest.pool.unlock();
                }
            } else {
                done = false;
            }
        }
        return done;
    }

    /** Drops every remaining pool reference of an unbound workqueue (it terminated). */
    void releaseAll() {
        if (unboundActive == null) {
            return;
        }
        for (PoolWorkqueue pwq : live) {
            if (pwq.markReleased()) {
                Pools.putUnbound(pwq.pool);
            }
        }
    }

    /* --------------- Settings applied to every pwq (W) --------------- */

    /** W: max_active {@code n} for every pwq, and for the count shared across pods ({@code wq_adjust_max_active}). */
    void setMaxActive(int n) {
        assert mutex.isHeldByCurrentThread();
        maxActive = n;
        forEachLocked(pwq -> pwq.setMaxActive(n));
        if (unboundActive != null) {
            unboundActive.setMaxActive(n); // with no pool lock held: hands freed slots out
        }
    }

    /** W: every pwq refuses (or accepts again) queueing from outside the workqueue's own items. */
    void setRefuseExternal(boolean refuse) {
        assert mutex.isHeldByCurrentThread();
        refuseExternal = refuse;
        forEachLocked(pwq -> pwq.refuseExternal = refuse);
    }

    /* --------------- In flight --------------- */

    /** A pwq got its first item in flight (any thread). */
    void pwqBusy() {
        if (busy.incrementAndGet() == 1) {
            wq.becameBusy();
        }
    }

    /** A pwq's last item in flight finished (any thread, maybe under its pool lock). */
    void pwqIdle(PoolWorkqueue pwq) {
        if (pwq.retired) {
            TimerWheel.shared().arm(releaser, 0); // released off this pool lock: it takes W
        }
        if (busy.decrementAndGet() == 0) {
            wq.becameIdle();
        }
    }

    /** Whether any pwq has an item in flight (a snapshot). */
    boolean isBusy() {
        return busy.get() != 0;
    }

    /**
     * Whether any pwq counts an item in flight (a snapshot), which {@link #isBusy} may not say
     * yet: a queuer makes its pwq busy after it counted the pwq's first item in flight
     * ({@link PoolWorkqueue#countInFlight}), and an item another queuer counted in between is
     * accepted meanwhile. Read after the pwqs refuse outside queueing, it is the other half of
     * the queuers' Dekker (count in flight, then read {@code refuseExternal}).
     */
    boolean anyCountedInFlight() {
        for (PoolWorkqueue pwq : live) {
            if (pwq.nrInFlightTotal() != 0) {
                return true;
            }
        }
        return false;
    }

    /* --------------- Statistics --------------- */

    /**
     * Items that finished, over every pwq the workqueue has had, with those passed on without
     * the lock and not yet added ({@link WorkerPool#countCompleted}): current, unlike
     * {@link #counters()}, whose counts lag a streak of passes.
     */
    long completedNow() {
        long[] n = new long[1];
        mutex.lock();
        try {
            n[0] = releasedCounters.completed;
            forEachLocked(pwq -> n[0] += pwq.pool.countCompleted(pwq));
        } finally {
            mutex.unlock();
        }
        return n[0];
    }

    /**
     * The wq_monitor counters summed over every pwq the workqueue has had: live ones read under
     * their pool locks, released ones from their saved sums.
     */
    PwqCounters counters() {
        PwqCounters total = new PwqCounters();
        mutex.lock();
        try {
            total.add(releasedCounters);
            forEachLocked(total::add);
        } finally {
            mutex.unlock();
        }
        return total;
    }

    /** Items counted toward max_active now and items held back, over every live pwq: {active, inactive}. */
    int[] activeAndInactive() {
        int[] counts = new int[2];
        forEachLocked(pwq -> {
            counts[0] += pwq.nrActive;
            counts[1] += pwq.nrWaiting();
        });
        return counts;
    }

    /** Whether any item is still active (on a worklist or running) in a pwq ({@code freeze_workqueues_busy}). */
    boolean hasActiveItems() {
        for (PoolWorkqueue pwq : live) {
            pwq.pool.lock();
            try {
                if (pwq.nrActive > 0) {
                    return true;
                }
            } finally {
                pwq.pool.unlock();
            }
        }
        return false;
    }
}
