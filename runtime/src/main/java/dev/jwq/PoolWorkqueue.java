package dev.jwq;

import dev.jwq.jfr.Tracepoints;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Consumer;

/**
 * The link between one {@link Workqueue} and one {@link WorkerPool} ({@code struct
 * pool_workqueue}): it applies the workqueue's max_active in that pool, keeps the items over the
 * limit waiting in FIFO order, and counts items in flight per flush color. Its wq_monitor
 * counters are those of {@link PwqCounters}.
 *
 * <h2>Implementation overview</h2>
 *
 * <p><b>Queueing takes no lock.</b> An item is counted in flight and given its flush color by one
 * atomic add on the in-flight word (see {@link #countInFlight}), and pushed on {@link #pending}, a
 * lock-free FIFO, by the thread that queues it. Whoever holds the pool lock moves items from there
 * to the pool worklist while the pwq is under max_active ({@link #activate}); the rest simply stay
 * where they are, in order, until an active item ends and its worker activates the next one. So an
 * item is touched once by the queuer and once when it is activated, however long the backlog
 * (Linux's inactive list costs a second list operation per item; with one pool lock per item it
 * was also where the queuer and the workers met).
 *
 * <p><b>Waking.</b> A queuer that sees room under max_active announces the pwq to its pool
 * ({@link WorkerPool#announce}) so that the next lock holder activates its items, and asks for
 * a worker if none runs. One that sees the pwq full leaves it to the worker that ends an active
 * item: that worker activates the next waiting item under the pool lock, and a queuer whose
 * push it could not see yet (Dekker: the worker frees the slot, then reads the queue; the
 * queuer links its item, then reads nrActive) finds the room and announces.
 *
 * <p><b>Random access.</b> Cancel, shutdownNow and a change of max_active accounting need items
 * they can unlink one by one: under the pool lock, {@link #spillPending} moves the lock-free
 * queue's items, in order, to the end of {@link #inactive}, an intrusive doubly-linked list;
 * waiting items are always {@code inactive} first, then {@code pending}.
 *
 * <p><b>Across pods.</b> A pwq that shares an unbound workqueue's max_active with the pwqs of
 * other pods ({@link UnboundActive}) queues under the pool lock instead ({@link #insert}): a
 * freed slot goes to the pwqs waiting for one in the order they started to wait, which must be
 * queueing order.
 *
 * <p>Tags (the package legend): I, L ({@code pool.lock}), V, and "L, H": written under L, read
 * racily by queuers (a stale value only makes a queuer announce or kick when it need not, or
 * leave it to a worker that will look anyway, as the comments at the reads say). Methods marked
 * L require the pool lock, asserted.
 */
final class PoolWorkqueue extends PwqCountersPad {
    final Workqueue wq;                       // I
    final WorkerPool pool;                    // I
    /**
     * I: an unbound workqueue's max_active, counted across its pwqs (every pod, and retired pwqs
     * still draining after a change of attributes); null for a per-CPU workqueue.
     */
    final UnboundActive shared;
    /**
     * L, H (set before publication, cleared under L): whether this pwq counts max_active by
     * itself ({@link #countsAlone}): true for a per-CPU workqueue, and for an unbound one's only
     * pwq ({@link #makeSolo}) until it shares its count ({@link #shareCount}); never true again.
     * Kept here, not read through {@code shared.solo}, so that the hot path's several looks
     * cost one load each.
     */
    private volatile boolean alone;
    boolean awaitingSlot;                     // L: on shared.pending

    /** L, H: items of this pwq allowed on the pool worklist (plain: read racily, see the legend). */
    int maxActive;
    /** L, H: items on the worklist or running (plain: read racily; the Dekker points fence explicitly). */
    int nrActive;
    /** L: waiting items taken off `pending` for random access, oldest first; spills add with the consumer's turn too. */
    final WorkList inactive = new WorkList();
    /** V: waiting items queued without the pool lock since the last spill (see {@link PendingFifo}). */
    private final PendingFifo pending = new PendingFifo();
    /*
     * pending.inFlight, V: items queued and not finished ({@code nr_in_flight}), packed in one
     * word so that queueing an item and ending one each cost one atomic on one line (they were
     * two atomics on two lines: the total and the color's count). The word lives on the line of
     * the pending queue's tail (CacheLinePadding.java): a queuer adds to it and swaps the tail;
     * a worker handing its slot on to a waiting item takes the head, on another line, and owes
     * the ended item's unit rather than subtract it here ({@link Worker#oweUnit}):
     * <ul>
     *   <li>bits 0-31: the total in flight, every color: counted by the queuer before it checks
     *       whether the pwq still accepts (Dekker with drain, shutdown and retirement, which
     *       change that and then read this);
     *   <li>bits 32-59: those of the work color, the color newly queued items get;
     *   <li>bits 60-63: the work color itself.
     * </ul>
     * A queuer's {@link #countInFlight} adds one to both counts, and the word it added to says
     * which color its item got, atomically with a flush moving the work color on
     * ({@link #setWorkColor}, under L and the flush mutex), which moves the color's count to
     * {@link #olderColors}. Queuers add without the lock; L takes away.
     */
    /** L: items of each color but the work color, queued before a flush moved the work color on. */
    private final int[] olderColors = new int[WorkqueueFlusher.NR_COLORS];
    int flushColor = -1;                      // L: color being flushed here, or -1
    volatile boolean refuseExternal;          // L, H: draining or shut down: only chained/timer queueing
    /** V: 1 while on its pool's list of pwqs with items to activate ({@link WorkerPool#announce}). */
    volatile int announced;
    /** The next pwq on the pool's announced list: written by the announcer before its push. */
    PoolWorkqueue announcedNext;
    boolean mayday;                           // the rescuer's monitor: on its mayday list

    /**
     * L, H: an ordered workqueue's pwq that must not activate anything while an older pwq still has
     * items in flight ({@code pwq->plugged}): that keeps the order across a change of attributes.
     */
    volatile boolean plugged;
    /** L, H: no longer in the workqueue's routing; takes only items that still run in it, released once idle. */
    volatile boolean retired;
    /** Its pool reference has been dropped (by the release of a retired pwq, or by termination). */
    private final AtomicBoolean released = new AtomicBoolean();

    /* A field updater, not a VarHandle: see "Field updaters" in package-info.java. */
    private static final AtomicLongFieldUpdater<PendingFifoTail> IN_FLIGHT =
            AtomicLongFieldUpdater.newUpdater(PendingFifoTail.class, "inFlight");

    /* The fields of the in-flight word. */
    private static final long TOTAL_MASK = 0xFFFF_FFFFL;
    private static final int COLOR_COUNT_SHIFT = 32;
    private static final int COLOR_SHIFT = 60;
    private static final long COLOR_COUNT_MASK = (1L << (COLOR_SHIFT - COLOR_COUNT_SHIFT)) - 1;
    /** One item in the total and in its color's count. */
    private static final long ONE_ITEM = 1 + (1L << COLOR_COUNT_SHIFT);
    /**
     * Items one pwq may have in flight from callers: the color's count must not carry into the
     * color. About 268 million (23 GiB of items at the least); a caller past it is refused. Timers
     * and items already queued are not, so the limit leaves them 65,536 more.
     */
    static final int MAX_IN_FLIGHT = (int) COLOR_COUNT_MASK - (1 << 16);

    PoolWorkqueue(Workqueue wq, WorkerPool pool, int maxActive, int workColor, UnboundActive shared) {
        this.wq = wq;
        this.pool = pool;
        this.shared = shared;
        this.alone = shared == null;
        this.maxActive = maxActive;
        pending.inFlight = (long) workColor << COLOR_SHIFT;
    }

    /* --------------- Counting in flight (any thread) --------------- */

    /**
     * Any thread: one more item in flight, of the work color, before the queuer checks
     * {@link #refuseExternal} and {@link #retired}; the first makes the workqueue busy. Returns
     * the count as it was, which says the items in flight before this one
     * ({@link #inFlightBefore}) and the color the item got ({@link #colorOf}).
     */
    long countInFlight() {
        long before = addInFlight();
        if (inFlightBefore(before) == 0) {
            wq.pwqs.pwqBusy();
        }
        return before;
    }

    /**
     * The count of {@link #countInFlight} alone, before the first item makes the workqueue busy:
     * until then another queuer's item, counted behind it, is in flight while the workqueue's
     * busy count says nothing is ({@code Workqueue.tryTerminate} reads the pwqs' counts too).
     * Tests call it to stand in for a queuer paused right there.
     */
    long addInFlight() {
        return IN_FLIGHT.getAndAdd(pending, ONE_ITEM);
    }

    /** What {@link #countInFlight} returned: the items in flight before the one it counted. */
    static int inFlightBefore(long counted) {
        return (int) (counted & TOTAL_MASK);
    }

    /** What {@link #countInFlight} returned: the flush color the item it counted got. */
    static int colorOf(long counted) {
        return (int) (counted >>> COLOR_SHIFT);
    }

    private static int colorCount(long word) {
        return (int) ((word >>> COLOR_COUNT_SHIFT) & COLOR_COUNT_MASK);
    }

    /**
     * Any thread: the item {@link #countInFlight} counted ({@code counted}: what it returned) was
     * refused; the last in flight makes the workqueue idle. If a flush moved the work color on
     * meanwhile, its count is among the older colors, which only L changes.
     */
    void uncountRefused(long counted) {
        int color = colorOf(counted);
        for (;;) {
            long word = pending.inFlight;
            if (colorOf(word) != color) {
                locked(pwq -> pwq.uncount(color, 1));
                return;
            }
            if (IN_FLIGHT.compareAndSet(pending, word, word - ONE_ITEM)) {
                // A flush waits only for older colors, never the work color: nothing to complete.
                if (inFlightBefore(word) == 1) {
                    wq.pwqs.pwqIdle(this);
                }
                return;
            }
        }
    }

    /**
     * L: {@code units} items of {@code color} in flight fewer; the last of the color being
     * flushed completes this pwq's part of the flush, the last in flight makes the workqueue idle.
     */
    private void uncount(int color, int units) {
        assert pool.isLocked() && units > 0;
        long word = pending.inFlight; // its color moves on only under L
        boolean colorDone;
        long before;
        if (colorOf(word) == color) {
            before = IN_FLIGHT.getAndAdd(pending, -units * ONE_ITEM);
            colorDone = colorCount(before) == units;
        } else {
            colorDone = (olderColors[color] -= units) == 0;
            before = IN_FLIGHT.getAndAdd(pending, (long) -units);
        }
        if (colorDone && color == flushColor) {
            flushColor = -1;
            wq.flusher.pwqFlushed();
        }
        if (inFlightBefore(before) == units) {
            wq.pwqs.pwqIdle(this);
        }
    }

    /**
     * L: {@code delta} (1 or -1) units of {@code color} in flight, for an item that carried its
     * holder's lent unit and gets one of its own ({@link Worker#takeHeld}); -1 takes back a unit
     * just counted when the lend turned out taken, so it never empties a color or the pwq.
     */
    void countUnit(int color, int delta) {
        assert pool.isLocked();
        long word = pending.inFlight; // its color moves on only under L
        if (colorOf(word) == color) {
            IN_FLIGHT.getAndAdd(pending, delta * ONE_ITEM);
        } else {
            olderColors[color] += delta;
            IN_FLIGHT.getAndAdd(pending, (long) delta);
        }
    }

    /**
     * Any thread: one unit of {@code color} in flight, if that is still the work color (see
     * {@link #countUnit}); false if a flush moved it on, which only L may count.
     */
    boolean countUnitOfWorkColor(int color) {
        return addToWorkColor(color, 1);
    }

    /**
     * No lock: an item of {@code color} ended and passed its slot to an item of this pwq without
     * the lock ({@link Worker#passOn}); {@code units} of {@code color} leave the count, its own
     * and those its worker owed ({@link Worker#oweUnit}); true if they did, false if a flush
     * moved the work color on since it was queued (its count is then among the older colors,
     * which only L changes). The work color is never the color being flushed, and the started
     * item is counted, so this completes no flush and never makes the pwq idle.
     */
    boolean uncountPassed(int color, int units) {
        assert inFlightBefore(pending.inFlight) > units;
        return addToWorkColor(color, -units);
    }

    /** Any thread: {@code delta} units of {@code color} in flight if it is the work color; false if not. */
    private boolean addToWorkColor(int color, int delta) {
        for (;;) {
            long word = pending.inFlight;
            if (colorOf(word) != color) {
                return false;
            }
            if (IN_FLIGHT.compareAndSet(pending, word, word + delta * ONE_ITEM)) {
                return true;
            }
        }
    }

    /**
     * L and the flush mutex: items queued from now on get {@code color} (a flush moved the
     * colors on); the items of the old work color are counted among the older colors.
     */
    void setWorkColor(int color) {
        assert pool.isLocked();
        for (;;) {
            long word = pending.inFlight;
            int old = colorOf(word);
            if (old == color) {
                return;
            }
            if (IN_FLIGHT.compareAndSet(pending, word, (word & TOTAL_MASK) | (long) color << COLOR_SHIFT)) {
                olderColors[old] += colorCount(word);
                return;
            }
        }
    }

    /** The color newly queued items get (a snapshot). */
    int workColor() {
        return colorOf(pending.inFlight);
    }

    /** The in-flight word (a snapshot): for a worker lending its item's unit ({@link Worker#mayLendTo}). */
    long inFlightWord() {
        return pending.inFlight;
    }

    /** Items in flight (a snapshot). */
    int nrInFlightTotal() {
        return inFlightBefore(pending.inFlight);
    }

    /** L: items in flight of {@code color}. */
    int nrInFlight(int color) {
        assert pool.isLocked();
        long word = pending.inFlight;
        return olderColors[color] + (colorOf(word) == color ? colorCount(word) : 0);
    }

    /* --------------- Queueing --------------- */

    /**
     * The PENDING owner, no lock ({@code __queue_work}): queues a counted item. It waits on
     * {@link #pending} (the item's state says INACTIVE) until a lock holder activates it, or its
     * queuer, a worker of this pwq's items, holds it back to run next ({@link Worker#holdChained});
     * {@code requestedCpu} is the CPU asked for or chosen, -1 if none (for the event);
     * {@code counted}: what {@link #countInFlight} returned for it, or if {@code lent} the word
     * read by the queuing worker {@code queuer}, which lends its item's unit ({@link Worker#mayLendTo});
     * {@code queuer} is null if the caller is no worker.
     */
    void enqueue(Work w, int requestedCpu, long counted, Worker queuer, boolean lent) {
        w.soQueued(this, colorOf(counted), true);
        if (Tracepoints.queueWorkEnabled()) {
            traceQueued(w, requestedCpu, !mayActivate()); // a hint for the event, read before the push
        }
        if (Worker.holdChained(this, w, inFlightBefore(counted), queuer, lent)) {
            return;
        }
        if (lent) {
            // Not held after all (Worker.mayLendTo): it waits counted by a unit of its own, of
            // the work color now. The queuer's item, in flight until it returns, kept the
            // count above zero meanwhile.
            w.soQueued(this, colorOf(countInFlight()), true);
        }
        pending.push(w);
        // After the push (Dekker with a worker freeing a slot, see the overview): read the room
        // again; the item may be activated, and the pwq may run, from here on.
        if (mayActivate()) {
            pool.announce(this);
        }
    }

    /**
     * L: an item a worker held back ({@link Worker#holdChained}) and let go before its own item
     * ended joins the waiting items as the oldest: nothing waited when it was held, so everything
     * waiting now came after it. The caller activates it ({@link #activate}, or the slot the
     * worker's item frees).
     */
    void addHeld(Work w) {
        assert pool.isLocked() && w.pwq == this && w.isInactive();
        inactive.addFirst(w);
    }

    /**
     * L: the item of this pwq that a worker held back takes the slot of the worker's item, which
     * just ended ({@link Worker#holdChained}): it goes to the worklist, counted in nrActive in the
     * item's place. Unless max_active was lowered below the items active meanwhile, the pwq was
     * plugged, or it began sharing max_active with other pods (a freed slot then goes to the pwqs
     * waiting for one, in turn): then it waits as the oldest item, and false says the slot is the
     * caller's to free ({@link #decNrInFlight}).
     */
    boolean passSlot(Work w) {
        assert pool.isLocked() && w.pwq == this;
        if (plugged || nrActive > maxActive || !countsAlone()) {
            addHeld(w);
            return false;
        }
        startWaiting(w);
        return true;
    }

    /**
     * Any thread (racy reads): whether {@link #passSlot} would pass a slot now. A worker that
     * passes one without the lock ({@link Worker#passOn}) after this said yes does what the
     * lock would have done just before a concurrent change of max_active, plug or shared count
     * (an active item keeps its slot across those too).
     */
    boolean mayPassSlot() {
        return !plugged && nrActive <= maxActive && countsAlone();
    }

    /**
     * L: queues a counted item under the pool lock: on the pool worklist, or waiting past
     * max_active (for pwqs that count max_active across pods, see the overview).
     */
    void insert(Work w, int requestedCpu, long counted) {
        assert pool.isLocked();
        // Older items may still be on the lock-free list: a queuer that read queuesWithoutLock()
        // before this pwq began sharing its count pushes there afterwards. They go first, so
        // that `inactive` stays older than `pending` (pollWaiting reads it first): an ordered
        // workqueue's items queued across a change of attributes keep their order.
        spillPending();
        int color = colorOf(counted);
        // FIFO: nothing overtakes items already waiting.
        if (!plugged && !hasWaiting() && (countsAlone() ? nrActive < maxActive : shared.tryAcquire())) {
            nrActive++;
            w.soQueued(this, color, false);
            traceQueued(w, requestedCpu, false);
            pool.enqueue(w);
        } else {
            w.soQueued(this, color, true);
            traceQueued(w, requestedCpu, true);
            inactive.addLast(w);
            if (!countsAlone() && !plugged) {
                awaitSlot();
            }
        }
    }

    /**
     * Any thread (a racy read): whether an item queued now could become active at once rather
     * than wait. A stale answer is benign (see the overview): "yes" costs an announcement,
     * "no" leaves the item to the worker that frees a slot.
     */
    boolean mayActivate() {
        return !plugged && nrActive < maxActive;
    }

    /**
     * Any thread (a racy read): whether items are queued without the pool lock. Not while this
     * pwq shares max_active with the pwqs of other pods (see the overview).
     */
    boolean queuesWithoutLock() {
        return countsAlone();
    }

    /* --------------- The lock-free pending queue --------------- */

    /**
     * L: moves every linked item of {@link #pending}, in order, to the end of {@link #inactive},
     * with the consumer's turn, so that a worker handing a slot over without the lock
     * ({@link #pollWaitingUnlocked}) sees them there.
     */
    void spillPending() {
        assert pool.isLocked();
        if (pending.looksEmpty()) {
            return;
        }
        pending.consume();
        try {
            for (Work w; (w = pending.poll()) != null; ) {
                inactive.addLast(w);
            }
        } finally {
            pending.doneConsuming();
        }
    }

    /**
     * No lock: the oldest waiting item, taken off, for a worker that hands its ended item's slot
     * to it without the pool lock ({@link Worker#passOn}); null if none, if items wait on
     * {@link #inactive} (the lock holder's: they are older), or if this pwq shares max_active
     * across pods. Waits for the consumer's turn if another consumer has it (a few instructions:
     * {@link PendingFifo} says what giving up on it cost). With the turn, every spill is done or not
     * begun (spills take it), so an empty inactive list means the queue's head is the oldest. An
     * item a worker held and let go joins the inactive list under the lock alone, so a worker
     * here may miss it for an instant (between the holder's release and the list): with
     * max_active above 1 it was active in Linux's terms when held (it fit under max_active), so
     * one taken here may start before it. With max_active 1 (ordered) it was held as the only
     * waiting item, the next in queueing order, and only by the worker of the pwq's one item:
     * that worker, the caller, takes nothing here once an item it held was let go until its next
     * end under the lock ({@code Worker.heldLetGo}).
     */
    Work pollWaitingUnlocked(Worker taker) {
        if (!mayTakeWaitingUnlocked()) {
            return null;
        }
        if (!pending.tryConsume()) {
            awaitTurn(taker.carried);
        }
        try {
            return inactive.isEmpty() && countsAlone() ? pending.pollLinked() : null;
        } finally {
            pending.doneConsuming();
        }
    }

    /**
     * Waits for the consumer's turn that another consumer has; a virtual worker asks to be woken
     * late ({@link CarriedWorker#wakeLate(boolean)} says why and what it measured).
     */
    private void awaitTurn(CarriedWorker<?> carried) {
        if (carried == null) {
            pending.consume();
            return;
        }
        carried.wakeLate(true);
        try {
            pending.consume();
        } finally {
            carried.wakeLate(false);
        }
    }

    /** Tests only: the lock-free pending queue, whose consumer's turn a test may hold. */
    PendingFifo pendingQueue() {
        return pending;
    }

    /** Any thread (racy): whether {@link #pollWaitingUnlocked} could find an item: one queued. */
    boolean mayTakeWaitingUnlocked() {
        return !pending.looksEmpty();
    }

    /** L: whether items wait (on {@link #inactive} or linked on {@link #pending}). */
    private boolean hasWaiting() {
        return !inactive.isEmpty() || !pending.isEmpty();
    }

    /** L: the oldest waiting item, or null. */
    private Work pollWaiting() {
        Work w = inactive.pollFirst();
        if (w != null || pending.looksEmpty()) {
            return w;
        }
        pending.consume();
        try {
            return pending.poll();
        } finally {
            pending.doneConsuming();
        }
    }

    /* --------------- Activation (L) --------------- */

    /**
     * L: moves waiting items to the pool worklist while there is room
     * ({@code pwq_activate_first_inactive}); for a pwq that shares max_active across pods, as
     * many as the shared count gives.
     */
    void activate() {
        assert pool.isLocked();
        if (plugged) {
            return;
        }
        if (!countsAlone()) {
            spillPending();
            if (!inactive.isEmpty()) {
                awaitSlot();
            }
            return;
        }
        while (nrActive < maxActive) {
            if (pool.enoughReady(this)) {
                if (hasWaiting()) {
                    pool.deferActivation(this);
                }
                return;
            }
            Work w = pollWaiting();
            if (w == null) {
                return;
            }
            activateOne(w);
        }
    }

    /**
     * L: an active item ended: its slot goes straight to the oldest waiting item, so that a
     * full pwq never looks free to queuers in between (they would announce it, and ask for a
     * worker, for nothing). Only when nothing waits is the slot given up, and then the queue is
     * read once more (Dekker with {@link #enqueue}: free the slot, then look; link, then look).
     * Returns the item the slot went to, or null.
     */
    private Work handOverSlot() {
        if (!plugged && nrActive <= maxActive) {
            // Not an ordered pwq's: its next item runs next on this worker (Worker.processOneWork).
            if (maxActive > 1 && pool.enoughReady(this)) {
                // The worklist covers the running workers: the slot is freed and the waiting
                // items stay announced until a worker wants one (WorkerPool.enoughReady).
                if (hasWaiting()) {
                    nrActive--;
                    pool.deferActivation(this);
                    return null;
                }
            } else {
                Work next = pollWaiting();
                if (next != null) {
                    startWaiting(next); // the slot changes hands: nrActive stays
                    return next;
                }
            }
        }
        nrActive--;
        // Dekker with enqueue: free the slot, then look at the queue (it links, then reads nrActive).
        VarHandle.fullFence();
        activate();
        return null;
    }

    private void activateOne(Work w) {
        nrActive++;
        startWaiting(w);
    }

    /** L: a waiting item with a slot counted in nrActive goes to the pool worklist. */
    private void startWaiting(Work w) {
        w.clearInactive();
        traceActivated(w);
        pool.enqueue(w);
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
            if (!hasWaiting()) {
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

    /** L: whether it has items waiting for a shared slot (for {@link UnboundActive}). */
    boolean hasWaitingItems() {
        assert pool.isLocked();
        spillPending();
        return !inactive.isEmpty();
    }

    /** L: activates the oldest waiting item with a slot of {@link #shared} already taken. */
    void activateFirstWithSlot() {
        assert pool.isLocked();
        spillPending();
        Work w = inactive.pollFirst();
        activateOne(w);
    }

    /**
     * {@code trace_workqueue_queue_work}. The arguments are only worked out while a recording
     * has the event on: this is the queueing hot path. {@code inactive}: max_active was reached
     * as the queuer saw it.
     */
    private void traceQueued(Work w, int requestedCpu, boolean inactive) {
        if (Tracepoints.queueWorkEnabled()) {
            Tracepoints.queueWork(wq.name(), TaskFunction.of(w.fn), requestedCpu, pool.cpu, pool.id, inactive);
        }
    }

    /**
     * L, or a worker passing a slot on without it ({@link Worker#passOn}):
     * {@code trace_workqueue_activate_work} for an item leaving the waiting items.
     */
    void traceActivated(Work w) {
        long since = w.queuedAt();
        if (Tracepoints.activateWorkEnabled()) {
            Tracepoints.activateWork(wq.name(), TaskFunction.of(w.fn), pool.id, since != 0 ? System.nanoTime() - since : 0);
        }
    }

    /* --------------- Ending (L) --------------- */

    /** L: takes a pending item off whatever list it is on; the caller now owns PENDING. */
    void removePending(Work w) {
        assert pool.isLocked();
        boolean wasActive = !w.isInactive();
        int color = w.color();
        w.list.remove(w);
        w.soNoPwq();
        // Volatile: Dekker with a worker ending the running instance without the lock
        // (Worker#passOn clears runningOn, then reads the state and the credit).
        Worker running = w.lvRunningOn();
        if (running != null && running.pool == pool) {
            // An earlier instance still runs: this one counts as done only after it, or a
            // flush waiting for the running instance would return early.
            w.addDoneCredit();
        } else {
            w.addDoneSeq(1);
        }
        decNrInFlight(color, wasActive, 1);
    }

    /**
     * L: an item of this pwq finished or was cancelled ({@code pwq_dec_nr_in_flight}): frees its
     * max_active slot for the oldest waiting item, and completes the flush of its color.
     * {@code units} of {@code color} leave the count: the item's own, unless it lent it to the
     * item its worker held ({@link Worker#mayLendTo}), which carries it on; and those its worker
     * owed for the items it passed on before it ({@link Worker#oweUnit}). Returns the waiting
     * item of this pwq the slot went straight to (now on the worklist), or null.
     */
    Work decNrInFlight(int color, boolean wasActive, int units) {
        assert pool.isLocked();
        Work handedTo = null;
        if (wasActive) {
            if (countsAlone()) {
                handedTo = handOverSlot();
            } else {
                nrActive--;
                // The slot goes to the pending pwqs in turn, this one included (pwq_dec_nr_active).
                shared.release();
                shared.activatePending(pool);
            }
        }
        if (units > 0) {
            uncount(color, units);
        }
        return handedTo;
    }

    /** L: {@code workqueue_set_max_active} for this pwq (a shared limit is set on {@link #shared}). */
    void setMaxActive(int n) {
        assert pool.isLocked();
        maxActive = n;
        pool.releaseAllHeld(); // a held item waits for its holder's slot: with a raised limit, for no slot
        if (countsAlone()) {
            activate();
        }
    }

    /**
     * L (or a racy read, see {@link #queuesWithoutLock}): whether this pwq counts its active items
     * against max_active by itself: always for a per-CPU workqueue; for an unbound one while it
     * is the workqueue's only pwq ({@link UnboundActive#solo}), which spares the common case a
     * contended atomic per item.
     */
    private boolean countsAlone() {
        return alone;
    }

    /** Before publication: the workqueue's only pwq, it counts max_active alone ({@link UnboundActive#solo}). */
    void makeSolo() {
        shared.solo = this;
        alone = true;
    }

    /**
     * L: this pwq stops counting alone (the workqueue is getting more pwqs): its active items
     * move to the shared count, and its waiting items wait for shared slots.
     */
    void shareCount() {
        assert pool.isLocked() && shared.solo == this && alone;
        alone = false;
        shared.solo = null;
        shared.add(nrActive);
        spillPending();
        if (!inactive.isEmpty()) {
            awaitSlot();
        }
    }

    /** L: lets a plugged pwq activate its items, now that the older pwqs have drained ({@code unplug_oldest_pwq}). */
    void unplug() {
        assert pool.isLocked();
        if (!plugged) {
            return;
        }
        plugged = false;
        activate();
    }

    /**
     * L: slots free under max_active: as many of the oldest waiting items as an unbound pool
     * keeps off its worklist only while it covers the running workers ({@link WorkerPool#enoughReady}),
     * not for want of a slot.
     */
    int freeSlots() {
        assert pool.isLocked();
        return plugged || !countsAlone() ? 0 : Math.max(0, maxActive - nrActive);
    }

    /** Waiting items, active items: a snapshot under L for statistics and dumps. */
    int nrWaiting() {
        return Math.max(0, nrInFlightTotal() - nrActive);
    }

    /** L: its counts and lists in one line, for a report of a flush or drain that never ends (tests). */
    String describeState() {
        assert pool.isLocked();
        long word = pending.inFlight;
        return "pwq of pool " + pool.id + ": active " + nrActive + "/" + maxActive + ", in flight "
                + inFlightBefore(word) + " (work color " + colorOf(word) + ": " + colorCount(word) + ", older "
                + Arrays.toString(olderColors) + "), flushing color " + flushColor + ", inactive "
                + inactive.size() + ", pending " + (pending.looksEmpty() ? "empty" : "linked") + ", plugged " + plugged
                + ", retired " + retired + ", announced " + announced + "; " + pool.describeState();
    }

    /** Runs {@code action} on this pwq under its pool lock. */
    void locked(Consumer<PoolWorkqueue> action) {
        pool.lock();
        try {
            action.accept(this);
        } finally {
            pool.unlock();
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
}
