package dev.jwq;

import dev.jwq.jfr.Tracepoints;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The link between one {@link Workqueue} and one {@link WorkerPool} ({@code struct
 * pool_workqueue}): it applies the workqueue's max_active in that pool, keeps the items over the
 * limit on its inactive list in FIFO order, and counts items in flight per flush color. Its
 * wq_monitor counters are those of {@link PwqCounters}.
 *
 * <p>Legend: I: final after construction; L: {@code pool.lock}. Every method requires the pool
 * lock, asserted.
 */
final class PoolWorkqueue extends PwqCounters {
    final Workqueue wq;                       // I
    final WorkerPool pool;                    // I
    /**
     * I: an unbound workqueue's max_active, counted across its pwqs (every pod, and retired pwqs
     * still draining after a change of attributes); null for a per-CPU workqueue.
     */
    final UnboundActive shared;
    boolean awaitingSlot;                     // L: on shared.pending

    int maxActive;                            // L: items of this pwq allowed on the pool worklist
    int nrActive;                             // L: items on the worklist or running
    final WorkList inactive = new WorkList(); // L: items over maxActive, oldest first
    final int[] nrInFlight = new int[WorkqueueFlusher.NR_COLORS]; // L: queued or running, per color
    int nrInFlightTotal;                      // L: sum of nrInFlight
    int workColor;                            // L: color given to newly queued items
    int flushColor = -1;                      // L: color being flushed here, or -1
    boolean refuseExternal;                   // L: draining or shut down: only chained/timer queueing
    boolean mayday;                           // the rescuer's monitor: on its mayday list

    /**
     * L: an ordered workqueue's pwq that must not activate anything while an older pwq still has
     * items in flight ({@code pwq->plugged}): that keeps the order across a change of attributes.
     */
    boolean plugged;
    /** L: no longer in the workqueue's routing; takes only items that still run in it, released once idle. */
    boolean retired;
    /** Its pool reference has been dropped (by the release of a retired pwq, or by termination). */
    private final AtomicBoolean released = new AtomicBoolean();

    PoolWorkqueue(Workqueue wq, WorkerPool pool, int maxActive, int workColor, UnboundActive shared) {
        this.wq = wq;
        this.pool = pool;
        this.shared = shared;
        this.maxActive = maxActive;
        this.workColor = workColor;
    }

    /**
     * L: puts an owned work item on the pool worklist, or on the inactive list past maxActive
     * ({@code __queue_work}); {@code requestedCpu} is the CPU asked for or chosen, -1 if none.
     */
    void insert(Work w, int requestedCpu) {
        assert pool.lock.isHeldByCurrentThread();
        int color = workColor;
        if (nrInFlightTotal++ == 0) {
            wq.pwqBusy();
        }
        nrInFlight[color]++;
        w.incQueuedSeq();
        w.queueStamp = Tracepoints.queueStamp();
        // FIFO: nothing overtakes items already waiting on the inactive list.
        if (!plugged && inactive.isEmpty() && (countsAlone() ? nrActive < maxActive : shared.tryAcquire())) {
            nrActive++;
            w.soQueued(this, color, false);
            traceQueued(w, requestedCpu, false);
            pool.enqueue(w);
        } else {
            w.soQueued(this, color, true);
            w.inactiveSince = Tracepoints.inactiveStamp();
            traceQueued(w, requestedCpu, true);
            inactive.addLast(w);
            if (!countsAlone() && !plugged) {
                awaitSlot();
            }
        }
    }

    /**
     * L: waits for a slot freed in another pod: registers on the pending list, then tries once
     * more, so that a slot freed between the failed try and the registration is not lost.
     */
    private void awaitSlot() {
        if (!awaitingSlot) {
            awaitingSlot = true;
            shared.pending.add(this);
        }
        if (shared.tryAcquire()) {
            activateFirstWithSlot();
            if (inactive.isEmpty()) {
                stopAwaitingSlot();
            }
        }
    }

    /** L: leaves the pending list. */
    void stopAwaitingSlot() {
        if (awaitingSlot) {
            awaitingSlot = false;
            shared.pending.remove(this);
        }
    }

    /** L: activates the oldest inactive item with a slot of {@link #shared} already taken. */
    void activateFirstWithSlot() {
        assert pool.lock.isHeldByCurrentThread();
        Work w = inactive.pollFirst();
        w.clearInactive();
        nrActive++;
        traceActivated(w);
        pool.enqueue(w);
    }

    /**
     * {@code trace_workqueue_queue_work}. The arguments are only worked out while a recording
     * has the event on: this is the queueing hot path.
     */
    private void traceQueued(Work w, int requestedCpu, boolean inactive) {
        if (Tracepoints.queueWorkEnabled()) {
            Tracepoints.queueWork(wq.name(), TaskFunction.of(w.fn), requestedCpu, pool.cpu, pool.id, inactive);
        }
    }

    /** L: {@code trace_workqueue_activate_work} for an item leaving the inactive list. */
    private void traceActivated(Work w) {
        long since = w.inactiveSince;
        if (Tracepoints.activateWorkEnabled()) {
            Tracepoints.activateWork(wq.name(), TaskFunction.of(w.fn), pool.id, since != 0 ? System.nanoTime() - since : 0);
        }
    }

    /** L: takes a pending item off whatever list it is on; the caller now owns PENDING. */
    void removePending(Work w) {
        assert pool.lock.isHeldByCurrentThread();
        boolean wasActive = !w.isInactive();
        int color = w.color();
        w.list.remove(w);
        w.soNoPwq();
        Worker running = w.lpRunningOn();
        if (running != null && running.pool == pool) {
            // An earlier instance still runs: this one counts as done only after it, or a
            // flush waiting for the running instance would return early.
            w.doneCredit++;
        } else {
            w.addDoneSeq(1);
        }
        decNrInFlight(color, wasActive);
    }

    /**
     * L: an item of this pwq finished or was cancelled ({@code pwq_dec_nr_in_flight}): frees its
     * max_active slot for the oldest inactive item, and completes the flush of its color.
     */
    void decNrInFlight(int color, boolean wasActive) {
        assert pool.lock.isHeldByCurrentThread();
        if (wasActive) {
            nrActive--;
            if (countsAlone()) {
                activateInactive();
            } else {
                // The slot goes to the pending pwqs in turn, this one included (pwq_dec_nr_active).
                shared.release();
                shared.activatePending(pool);
            }
        }
        if (--nrInFlight[color] == 0 && color == flushColor) {
            flushColor = -1;
            wq.flusher.pwqFlushed();
        }
        if (--nrInFlightTotal == 0) {
            wq.pwqIdle(this);
        }
    }

    /** L: moves inactive items to the worklist while there is room ({@code pwq_activate_first_inactive}). */
    void activateInactive() {
        assert pool.lock.isHeldByCurrentThread();
        while (!plugged && nrActive < maxActive && !inactive.isEmpty()) {
            Work w = inactive.pollFirst();
            w.clearInactive();
            nrActive++;
            traceActivated(w);
            pool.enqueue(w);
        }
    }

    /** L: {@code workqueue_set_max_active} for this pwq (a shared limit is set on {@link #shared}). */
    void setMaxActive(int n) {
        assert pool.lock.isHeldByCurrentThread();
        maxActive = n;
        if (countsAlone()) {
            activateInactive();
        }
    }

    /**
     * L: whether this pwq counts its active items against max_active by itself: always for a
     * per-CPU workqueue; for an unbound one while it is the workqueue's only pwq
     * ({@link UnboundActive#solo}), which spares the common case a contended atomic per item.
     */
    private boolean countsAlone() {
        return shared == null || shared.solo == this;
    }

    /**
     * L: this pwq stops counting alone (the workqueue is getting more pwqs): its active items
     * move to the shared count, and its waiting items wait for shared slots.
     */
    void shareCount() {
        assert pool.lock.isHeldByCurrentThread() && shared.solo == this;
        shared.solo = null;
        shared.add(nrActive);
        if (!inactive.isEmpty()) {
            awaitSlot();
        }
    }

    /** L: lets a plugged pwq activate its items, now that the older pwqs have drained ({@code unplug_oldest_pwq}). */
    void unplug() {
        assert pool.lock.isHeldByCurrentThread();
        if (!plugged) {
            return;
        }
        plugged = false;
        if (shared == null) {
            activateInactive();
        } else if (!inactive.isEmpty()) {
            awaitSlot();
        }
    }

    /** Runs {@code action} on this pwq under its pool lock. */
    void locked(Consumer<PoolWorkqueue> action) {
        pool.lock.lock();
        try {
            action.accept(this);
        } finally {
            pool.lock.unlock();
        }
    }

    /** Runs {@code action} on each of {@code pwqs} under its pool lock, one pool at a time. */
    static void forEachLocked(Iterable<PoolWorkqueue> pwqs, Consumer<PoolWorkqueue> action) {
        for (PoolWorkqueue pwq : pwqs) {
            pwq.locked(action);
        }
    }

    /** Marks its pool reference dropped; true for the one caller that must drop it. */
    boolean markReleased() {
        return released.compareAndSet(false, true);
    }

    boolean isReleased() {
        return released.get();
    }
}
