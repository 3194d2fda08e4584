package dev.jwq;

import dev.jwq.jfr.Tracepoints;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * A work item ({@code struct work_struct}): a function that a {@link Workqueue} runs on a
 * shared worker. One {@code Work} is one item: it is pending at most once, and it never runs
 * concurrently with itself on the same workqueue. Create it once and queue it as often as
 * needed ({@code INIT_WORK} once, {@code queue_work} many times).
 *
 * <pre>{@code
 * Work w = new Work(() -> runQueue());
 * wq.queue(w);        // true: now pending
 * wq.queue(w);        // false: already pending, nothing changes
 * w.flush();          // waits for that instance to finish
 * }</pre>
 */
public class Work {

    /*
     * The state word.
     * Like Linux's work->data, one atomic long carries the item's state:
     *
     *  bit 0       PENDING   queued (on a worklist, waiting in its pwq, or on a timer) and not yet started
     *  bit 1       INACTIVE  waiting in its PoolWorkqueue (its pending queue or inactive list) for max_active
     *  bit 2       UNSEEN    made by its workqueue for a task (execute) and not seen outside the engine
     *                        since: see "Unseen items" below
     *  bits 4-7    COLOR     flush color given at queueing (0..15)
     *  bits 16-31  DISABLE   disable depth (0..65535)
     *  bits 32-63  POOL      id + 1 of the pool it last ran on (0: none), read by non-reentrancy routing
     *
     * Whoever sets PENDING owns the item until it is put on a list or PENDING is cleared: only the
     * owner writes the word, every other writer must first win PENDING by CAS. The transitions:
     *
     *  IDLE      --queue (CAS PENDING; fails if DISABLE > 0)--------> OWNED
     *  OWNED     --counted in flight, colored, pushed on its pwq's ----> WAITING (PENDING|INACTIVE:
     *              lock-free pending queue (no lock)                        the pwq's to move now)
     *  OWNED     --queued under the pool lock (a pwq sharing ---------> QUEUED, or WAITING on the
     *              max_active across pods): room, or none                   pwq's inactive list
     *  OWNED     --queueDelayed with a delay--------------------------> ARMED (on the timer wheel)
     *  ARMED     --timer expires: queued as above---------------------> WAITING (or QUEUED)
     *  WAITING   --a pool lock holder activates it under max_active---> QUEUED (on the pool worklist)
     *  QUEUED    --a worker takes it: PENDING cleared, POOL set--------> RUNNING (and IDLE: may be queued again)
     *  WAITING/QUEUED/ARMED --cancel, disable, modDelayed grab it -----> OWNED
     *              (under the pool lock, after moving the pwq's pending
     *              queue to its inactive list / by cancelling the timer)
     *  OWNED     --release (cancel, disable, enable)------------------> IDLE, DISABLE updated
     *
     * A work item queued while RUNNING on the same workqueue is routed to the pool where it runs
     * (find_worker_executing_work), and a worker that finds an item already running on
     * another worker of its pool hands it over to that worker, so an item never overlaps itself.
     *
     * Flush.
     * flush() waits for the instance pending or running when it is called. Each instance
     * put on a pool bumps queuedSeq; each instance that finishes or is cancelled bumps
     * doneSeq, in the same order since an item never overlaps itself (both in FlushCounts,
     * made on first need). A flush barrier is
     * the target queuedSeq: the flusher sleeps until doneSeq reaches it. A later
     * instance cancelled while an earlier one still runs is held as doneCredit and counted
     * only when the running one finishes, so the order holds. This
     * gives the guarantee of Linux's barrier work items without putting extra items on the
     * worklists, and costs nothing when nobody flushes.
     *
     * Unseen items.
     * An item execute() makes for a task is the engine's alone: nobody else holds it, so nobody
     * can queue it again, flush it or cancel it (shutdownNow takes pending items under the pool
     * lock, which needs neither). Its worker then skips what only those need: marking itself in
     * runningOn at the start and taking itself out at the end (a CAS), and counting the
     * instance queued and done (an atomic add), writes with fences on every tiny task (measured:
     * ordered chains 58 -> 52 ns a step, twin-fixed bursts 152 -> 127 ns a task,
     * docs/status-2026-12.md, session 18); and it has no flush counts at all (FlushCounts),
     * 8 bytes less per task (64 instead of 72). Nor does its start need the full fence of
     * setPoolAndClearPending: nobody can try to queue it. It leaves the engine two ways only:
     * current(), on the running worker's own thread, which marks the worker in runningOn and
     * then clears UNSEEN (seen()); and the SPI's PendingWork, which clears it under the pool
     * lock while the item waits. Either way its one instance is counted queued first
     * (clearUnseen). From then on, the item's end included, it is kept as any item, exactly as
     * if it had been from its start: nobody else could have looked before.
     *
     * Field tags (the package legend, package-info): I; L (the lock of the pool the item is
     * queued or running on); O (written only by the PENDING owner); V. Accessor prefixes follow
     * the package convention.
     */
    /* --------------- State word --------------- */
    static final long PENDING = 1L;
    static final long INACTIVE = 1L << 1;
    static final long UNSEEN = 1L << 2;
    static final int COLOR_SHIFT = 4;
    static final long COLOR_MASK = 0xFL << COLOR_SHIFT;
    static final int DISABLE_SHIFT = 16;
    static final long DISABLE_UNIT = 1L << DISABLE_SHIFT;
    static final long DISABLE_MASK = 0xFFFFL << DISABLE_SHIFT;
    /** Linux caps the disable count at the width of its field; so do we. */
    static final int MAX_DISABLE_DEPTH = 0xFFFF;
    static final int POOL_SHIFT = 32;

    /** tryGrabPending results, as Linux's try_to_grab_pending returns them. */
    static final int GRAB_WAS_IDLE = 0, GRAB_WAS_PENDING = 1, GRAB_RETRY = -1;

    final Runnable fn;                    // I

    volatile long state;                  // V: the state word above; O writes, CAS to own
    volatile PoolWorkqueue pwq;           // L(pwq.pool) writes; racy reads find the lock to take
    volatile Worker runningOn;            // L(last pool): the worker running this item, or null
    WorkList list;                        // L: the list this item sits on
    Work prev, next;                      // L: links in that list
    /**
     * O (its queuer): when it was queued, if a recording wants to know ({@link #stampQueued}),
     * else 0; bit 0 set: chosen for the sampled WorkExecution event. One field for the two
     * stamps it was (taken a few instructions apart): 8 bytes less per item, which every
     * execute() allocates.
     */
    private long queuedAt;
    /**
     * V: its flush counts, made on first need ({@link #counts()}); null while it has never been
     * queued, and while it is unseen (see "Unseen items" above): a task's item is 8 bytes smaller.
     */
    private volatile FlushCounts counts;
    /**
     * V: the next item on its pwq's lock-free pending queue ({@link PendingFifo}), or on its
     * pool's items released from a worker's hold ({@link WorkerPool#release}); never both at once.
     */
    volatile Work pendingNext;

    /* Field updaters, not VarHandles: see "Field updaters" in package-info.java. */
    private static final AtomicLongFieldUpdater<Work> STATE = AtomicLongFieldUpdater.newUpdater(Work.class, "state");
    private static final AtomicReferenceFieldUpdater<Work, Worker> RUNNING_ON =
            AtomicReferenceFieldUpdater.newUpdater(Work.class, Worker.class, "runningOn");
    private static final AtomicReferenceFieldUpdater<Work, PoolWorkqueue> PWQ =
            AtomicReferenceFieldUpdater.newUpdater(Work.class, PoolWorkqueue.class, "pwq");
    private static final AtomicReferenceFieldUpdater<Work, FlushCounts> COUNTS =
            AtomicReferenceFieldUpdater.newUpdater(Work.class, FlushCounts.class, "counts");
    private static final AtomicReferenceFieldUpdater<Work, Work> PENDING_NEXT =
            AtomicReferenceFieldUpdater.newUpdater(Work.class, Work.class, "pendingNext");

    /**
     * Creates a work item that runs {@code fn} each time it is queued.
     *
     * @param fn what the item runs
     * @throws NullPointerException if {@code fn} is null
     */
    public Work(Runnable fn) {
        this.fn = Objects.requireNonNull(fn, "work function is null");
    }

    /**
     * Creates a work item that runs itself: for a subclass that implements {@link Runnable}, the
     * way Linux embeds a {@code work_struct} in the structure its function works on. One object
     * per item instead of two (the item and its function), for code that makes an item per task.
     *
     * @throws IllegalStateException if this subclass does not implement {@code Runnable}
     */
    protected Work() {
        if (!(this instanceof Runnable self)) {
            throw new IllegalStateException(getClass().getName()
                    + " extends Work without implementing Runnable: give the function to Work(Runnable)");
        }
        this.fn = self;
    }

    /* --------------- Public API --------------- */

    /**
     * The work item the calling worker is running ({@code current_work()}), or null when the
     * caller is not running a work item.
     *
     * @return the item being run, or null
     */
    public static Work current() {
        Worker w = Worker.current();
        Work work = w != null ? w.lpCurrentWork() : null;
        if (work != null) {
            work.seen(w);
        }
        return work;
    }

    /**
     * The running worker {@code by}, on its own thread, hands this item out: if it was unseen
     * (see the state word), it becomes an item like any other, its worker marked in runningOn
     * before anyone else can look, so that queueing it again, flushing or cancelling it behave
     * as for any running item, and its end is kept in full.
     */
    private void seen(Worker by) {
        long s = state;
        if ((s & UNSEEN) == 0) {
            return;
        }
        soRunningOn(by);
        clearUnseen();
    }

    /**
     * This item leaves the engine's hands (handed out by {@link #current()}, or listed pending by
     * the SPI's {@code PendingWork}, which an agent may cancel, queue again or flush): from now
     * on it is kept as any item (see the state word). A CAS: a canceller may own the word.
     */
    final void clearUnseen() {
        if ((state & UNSEEN) == 0) {
            return;
        }
        // Its one instance, queued unseen without a count, is counted queued before anyone can
        // look: a flush from now on waits for its end, which counts it done.
        installCounts(1);
        for (long s; ((s = state) & UNSEEN) != 0 && !STATE.compareAndSet(this, s, s & ~UNSEEN); ) {
            // retry
        }
    }

    /** Whether this item was never queued: its state word still the constructor's. */
    final boolean isFresh() {
        return state == 0;
    }

    /** Whether the engine alone holds this item (see the state word): its worker keeps no runningOn or done count for it. */
    final boolean isUnseen() {
        return (state & UNSEEN) != 0;
    }

    /**
     * True while the item is queued and has not started ({@code work_pending}).
     *
     * @return true if pending
     */
    public boolean isPending() {
        return (state & PENDING) != 0;
    }

    /**
     * True while a worker runs this item ({@code work_busy() & WORK_BUSY_RUNNING}); a snapshot.
     *
     * @return true if running
     */
    public boolean isRunning() {
        return runningOn != null;
    }

    /**
     * Takes the item off its queue if it is pending ({@code cancel_work}). A running instance is
     * not waited for.
     *
     * @return true if the item was pending and now will not run
     */
    public boolean cancel() {
        int r = grabPending();
        release(0);
        return r == GRAB_WAS_PENDING;
    }

    /**
     * Cancels the item and waits for a running instance to finish ({@code cancel_work_sync}).
     * While this runs, attempts to queue the item return false; afterwards it can be queued again.
     *
     * @return true if the item was pending
     */
    public boolean cancelSync() {
        boolean wasPending = disable();
        try {
            awaitDone(lvQueuedSeq());
        } finally {
            enable();
        }
        return wasPending;
    }

    /**
     * Waits for the pending or running instance of this item to finish ({@code flush_work}).
     *
     * @return true if it waited, false if the item was idle
     */
    public boolean flush() {
        return awaitDone(lvQueuedSeq());
    }

    /**
     * Disables the item ({@code disable_work}): cancels it if pending, and makes every
     * {@code queue} return false until as many {@link #enable()} calls. Counted: up to 65535
     * nested disables. Does not wait for a running instance.
     *
     * @return true if the item was pending
     * @throws IllegalStateException past 65535 nested disables
     */
    public boolean disable() {
        int r = grabPending();
        long s = state;
        if (((s & DISABLE_MASK) >>> DISABLE_SHIFT) == MAX_DISABLE_DEPTH) {
            release(0);
            throw new IllegalStateException("work " + this + " disabled more than " + MAX_DISABLE_DEPTH + " times");
        }
        release(+1);
        return r == GRAB_WAS_PENDING;
    }

    /**
     * Undoes one {@link #disable()} ({@code enable_work}). Never queues the item.
     *
     * @return true if the item is now enabled (this was the last outstanding disable)
     * @throws IllegalStateException if the item is not disabled
     */
    public boolean enable() {
        // A pending item is never disabled (queue refuses disabled items, disable cancels), so
        // check before grabbing: grabbing would take a pending instance off its queue.
        if ((state & DISABLE_MASK) == 0) {
            throw new IllegalStateException("enable() of work " + this + " that is not disabled");
        }
        grabPending();
        long depth = (state & DISABLE_MASK) >>> DISABLE_SHIFT;
        if (depth == 0) {
            release(0);
            throw new IllegalStateException("enable() of work " + this + " that is not disabled");
        }
        release(-1);
        return depth == 1;
    }

    @Override
    public String toString() {
        // A subclass that runs itself (Work()) and does not override toString: its function is
        // this item, whose toString is this one.
        return fn == this ? "Work[" + getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(this)) + "]"
                : "Work[" + fn + "]";
    }

    /* --------------- Engine: state word --------------- */

    /** Sets PENDING if the item is neither pending nor disabled; the caller then owns it. */
    final boolean casPendingIfEnabled() {
        for (;;) {
            long s = state;
            if ((s & (PENDING | DISABLE_MASK)) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s | PENDING)) {
                return true;
            }
        }
    }

    /**
     * Owner only, L: records the queued color, whether the item waits inactive, and its pwq.
     * Release stores: no other thread writes the word while PENDING is owned, and a reader
     * that sees a stale pwq rechecks under the pool lock, so no StoreLoad fence is needed.
     */
    final void soQueued(PoolWorkqueue q, int color, boolean inactive) {
        long s = state;
        assert (s & PENDING) != 0 : "not owned";
        s = (s & ~(COLOR_MASK | INACTIVE)) | ((long) color << COLOR_SHIFT) | (inactive ? INACTIVE : 0);
        STATE.lazySet(this, s);
        PWQ.lazySet(this, q);
    }

    /**
     * Owner only, before the item is pushed on its pool's inbox: the pwq it is queued on, so that
     * cancel and disable find the pool whose lock (and drain) makes it removable.
     */
    final void soPwq(PoolWorkqueue q) {
        PWQ.lazySet(this, q);
    }

    /** L: the item left its pwq (taken by a worker, or cancelled). */
    final void soNoPwq() {
        PWQ.lazySet(this, null);
    }

    /** L: moves an inactive item to active. */
    final void clearInactive() {
        STATE.lazySet(this, state & ~INACTIVE);
    }

    final int color() {
        return (int) ((state & COLOR_MASK) >>> COLOR_SHIFT);
    }

    final boolean isInactive() {
        return (state & INACTIVE) != 0;
    }

    /**
     * L: a worker takes the item: records the pool, clears PENDING, color and INACTIVE, keeps the
     * disable depth. PENDING is cleared just before the callback, so the function may queue its
     * own item again ({@code set_work_pool_and_clear_pending}). A volatile (full-fence) store,
     * like Linux's smp_mb() there: the clear must not be reordered after the function's loads,
     * or a concurrent queue that fails on PENDING could have its stores missed by this run.
     * Not for an unseen item: nobody else holds it, so no queue can fail on its PENDING, and a
     * release store does (a full fence less per task: see "Unseen items").
     */
    final void setPoolAndClearPending(int poolId) {
        long s = state;
        assert (s & PENDING) != 0;
        long started = (s & (DISABLE_MASK | UNSEEN)) | ((long) (poolId + 1) << POOL_SHIFT);
        if ((s & UNSEEN) != 0) {
            STATE.lazySet(this, started);
        } else {
            state = started;
        }
    }

    /**
     * Owner only: gives up PENDING, adjusting the disable depth by {@code depthDelta}, keeping
     * the pool link. Pairs with {@link #grabPending()}.
     */
    private void release(int depthDelta) {
        long s = state;
        assert (s & PENDING) != 0 : "release without owning PENDING";
        long depth = ((s & DISABLE_MASK) >>> DISABLE_SHIFT) + depthDelta;
        // UNSEEN goes too: an item given back by its owner (cancel, disable) may be queued again by it.
        state = (s & ~(PENDING | INACTIVE | COLOR_MASK | DISABLE_MASK | UNSEEN)) | (depth << DISABLE_SHIFT);
    }

    /**
     * Marks a work item that no other thread has seen yet, made by its workqueue for a task, as
     * pending, owned and unseen (see the state word): a plain store, published with the item by
     * the queueing that follows.
     */
    final void spPendingFresh() {
        STATE.lazySet(this, PENDING | UNSEEN);
    }

    /** Owner only: gives PENDING back untouched, after a queue attempt that was refused. */
    final void abortQueue() {
        release(0);
    }

    final boolean isDisabled() {
        return (state & DISABLE_MASK) != 0;
    }

    /** Spins until this thread owns PENDING ({@code work_grab_pending}); see {@link #tryGrabPending()}. */
    final int grabPending() {
        for (int attempt = 0; ; attempt++) {
            int r = tryGrabPending();
            if (r != GRAB_RETRY) {
                return r;
            }
            // Another thread is between setting PENDING and putting the item on a list (or a
            // timer is firing into a queue): a window of a few instructions under a pool lock.
            Backoff.pause(attempt);
        }
    }

    /**
     * Tries to make the caller the owner of PENDING ({@code try_to_grab_pending}).
     *
     * @return {@link #GRAB_WAS_IDLE} if the item was not pending (PENDING is now set and owned),
     *         {@link #GRAB_WAS_PENDING} if it was queued and has been taken off its list, or
     *         {@link #GRAB_RETRY} if it is in transition and the caller should try again
     */
    int tryGrabPending() {
        long s = state;
        if ((s & PENDING) == 0) {
            return STATE.compareAndSet(this, s, s | PENDING) ? GRAB_WAS_IDLE : GRAB_RETRY;
        }
        PoolWorkqueue q = pwq;
        if (q == null) {
            return GRAB_RETRY;
        }
        WorkerPool pool = q.pool;
        pool.lock();
        try {
            // Recheck under the lock: the item may have started, or moved, meanwhile.
            if (pwq != q || (state & PENDING) == 0) {
                return GRAB_RETRY;
            }
            if (list == null) {
                // Waiting on the pwq's lock-free queue: move those to a list we can unlink from.
                q.spillPending();
                if (list == null && !pool.takeHeld(this)) {
                    return GRAB_RETRY; // its queuer is between setting its pwq and linking it: a short window
                }
            }
            q.removePending(this);
            return GRAB_WAS_PENDING;
        } finally {
            pool.unlock();
        }
    }

    /* --------------- Engine: run bookkeeping (L) --------------- */

    final Work lvPendingNext() {
        return pendingNext;
    }

    /** A producer links its predecessor to its item; release: the item's fields are published with it. */
    final void soPendingNext(Work w) {
        PENDING_NEXT.lazySet(this, w);
    }

    final void soRunningOn(Worker w) {
        RUNNING_ON.lazySet(this, w);
    }

    /**
     * Volatile: a queuer's read pairs with the release that stores a worker here after it set its
     * currentPwq; a worker passing on reads it in a Dekker with {@link PoolWorkqueue#removePending}
     * (see {@link Worker#passOn}).
     */
    final Worker lvRunningOn() {
        return runningOn;
    }

    final void svRunningOn(Worker w) {
        runningOn = w;
    }

    /** Sets runningOn to {@code w} if it is {@code expected}; whether it did (volatile). */
    final boolean casRunningOn(Worker expected, Worker w) {
        return RUNNING_ON.compareAndSet(this, expected, w);
    }

    final int lvQueuedSeq() {
        FlushCounts c = counts;
        return c == null ? 0 : c.queuedSeq();
    }

    /** The flush counts, made if this is their first need. */
    private FlushCounts counts() {
        FlushCounts c = counts;
        return c != null ? c : installCounts(0);
    }

    /** Makes the flush counts, starting at {@code queued} instances, unless another thread made them first; returns them. */
    private FlushCounts installCounts(int queued) {
        FlushCounts made = new FlushCounts(queued);
        return COUNTS.compareAndSet(this, null, made) ? made : counts;
    }

    /** Instances cancelled while an earlier one ran, to count done after it (L; racy for a pass). */
    final int doneCredit() {
        FlushCounts c = counts;
        return c == null ? 0 : c.credit();
    }

    /** L: one more instance cancelled while an earlier one runs. */
    final void addDoneCredit() {
        counts().addCredit();
    }

    /** L: the instances cancelled while this one ran, taken to count done with it. */
    final int takeDoneCredit() {
        FlushCounts c = counts;
        return c == null ? 0 : c.takeCredit();
    }

    /**
     * The queuer, as it queues: the clock if a recording wants it, once. Chosen for
     * WorkExecution ({@code Tracepoints.queueStamp()}), the stamp with bit 0 set, which also
     * serves WorkActivated; else the clock if a recording reports activations
     * ({@code Tracepoints.inactiveStamp()}), bit 0 clear; else 0.
     */
    final void stampQueued() {
        long chosen = Tracepoints.queueStamp();
        if (chosen != 0) {
            queuedAt = chosen | 1;
            return;
        }
        long now = Tracepoints.inactiveStamp();
        queuedAt = now != 0 ? Math.max(2, now & ~1L) : 0;
    }

    /** What {@code Tracepoints.executeStart} takes: when it was queued if chosen for WorkExecution, else 0. */
    final long executionStamp() {
        long at = queuedAt;
        return (at & 1) != 0 ? at : 0;
    }

    /** When it was queued, for how long it waited to be activated; 0 if no recording asked. */
    final long queuedAt() {
        return queuedAt;
    }

    /** Owner only: one more instance queued (not for an unseen item: see "Unseen items"). */
    final void incQueuedSeq() {
        counts().incQueued();
    }

    /** {@code n} instances finished or were cancelled, in queueing order; wakes flushers waiting for them. */
    final void addDoneSeq(int n) {
        counts().addDone(n);
    }

    /** Waits until the instance numbered {@code target} has finished or was cancelled; whether it waited. */
    final boolean awaitDone(int target) {
        FlushCounts c = counts;
        // No counts: nothing was ever queued as counted, so target is 0 and nothing waits.
        return c != null && c.awaitDone(target);
    }
}
