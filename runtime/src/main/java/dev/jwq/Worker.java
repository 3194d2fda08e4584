package dev.jwq;

import dev.jwq.jfr.Tracepoints;
import dev.jwq.jfr.WorkExecution;
import dev.jwq.jfr.WorkerSleeping;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A worker of one {@link WorkerPool} ({@code struct worker} and {@code worker_thread}): runs the
 * pool's items one at a time; see the pool's overview for when it sleeps and wakes.
 *
 * <p><b>Two kinds of thread run a worker</b> ({@code jwq.workers}): a platform thread of its own
 * ({@link WorkerThread}), pinned as its pool says, or a virtual thread whose continuation the
 * pool's carriers run ({@link CarriedWorker}). The loop is the same; what differs is who tells
 * concurrency management that the worker sleeps: for a virtual worker, its carrier, the moment
 * its continuation returns while it is inside an item ({@link CarrierListener}); for a platform
 * worker, the agent's hooks, {@code Workqueues.blocking} and the sampler.
 *
 * <h2>Concurrency management state</h2>
 * One word, {@link #cm}, changed by CAS by whoever learns something: the worker itself, a hook
 * or explicit call on its thread, its carrier, the monitor. Bits:
 * <pre>
 *  ACTIVE    the worker is in its running section (taking and running items); set and cleared
 *            by the worker under L
 *  SLEEPING  known blocked ({@code wq_worker_sleeping}) until it runs again; bits 4-7 say who
 *            reported it (BlockingSource ordinal + 1)
 *  HOGGING   running a CPU_INTENSIVE item, or one found past the CPU-intensive threshold
 * </pre>
 * It counts toward {@code pool.nrRunning} exactly while ACTIVE is set and the other two are
 * not; each CAS that flips that adds its +1 or -1 to nrRunning, once. So no transition needs
 * the pool lock: a carrier or a hook never waits for it (a carrier that did could deadlock with
 * the virtual worker queued on it), and a worker that stops counting outside the lock asks for a
 * kick ({@link WorkerPool#requestKick}).
 * <pre>
 *  idle      --takes items (L)---------------------------&gt; ACTIVE          counts
 *  ACTIVE    --blocks: hook, explicit, carrier, sampler---&gt; ACTIVE|SLEEPING  stops counting
 *  SLEEPING  --runs again (the reporter, or its carrier)--&gt; ACTIVE          counts
 *  ACTIVE    --CPU_INTENSIVE item, or found hogging------&gt; ACTIVE|HOGGING   stops counting
 *  any       --the item ends (L)--------------------------&gt; ACTIVE          counts
 *  ACTIVE    --no more items (L)--------------------------&gt; idle
 * </pre>
 *
 * <p>Legend: I: final; L: {@code pool.lock}; X: written by this worker under L, read by it
 * without (and racily by the monitor and dumps: benign, they only report or guess); V: volatile
 * or CAS, lock-free; M: the monitor thread only.
 */
class Worker {
    /** Platform workers' threads: {@link #current()} finds the worker with one type check. */
    static final class WorkerThread extends Thread {
        final Worker worker;

        WorkerThread(Worker worker, String name, boolean highPri) {
            super(null, null, name, 0, false);
            this.worker = worker;
            setDaemon(true);
            if (highPri) {
                setPriority(Thread.MAX_PRIORITY);
            }
        }

        @Override
        public void run() {
            worker.run();
        }
    }

    /**
     * A virtual worker's body: a class, not {@code this::run}, so that no lambda is spun on the
     * first workqueue's path (bench/README "Load cost").
     */
    private static final class VirtualBody implements Runnable {
        private final Worker worker;

        VirtualBody(Worker worker) {
            this.worker = worker;
        }

        @Override
        public void run() {
            worker.run();
        }
    }

    /** A virtual worker's own thread: set as it starts, so {@link #current()} finds it. */
    private static final ThreadLocal<Worker> VIRTUAL_CURRENT = new ThreadLocal<>();

    /**
     * I for a pool's worker. A {@link Rescuer} moves between pools: it writes this under the lock
     * of the pool it attaches to, and only readers holding that lock compare it with that pool.
     */
    WorkerPool pool;
    final int id;                        // I
    final boolean rescuer;               // I: a Rescuer, which never counts toward nrRunning
    /** I: the thread that runs this worker: a {@link WorkerThread}, or a virtual thread. */
    final Thread thread;
    /** I: the virtual worker's place on its pool's carriers, or null for a platform worker. */
    final CarriedWorker<Worker> carried;

    Work currentWork;                    // X: the item being run, or null
    /**
     * X: the pwq of the item being run. Queuers read it after a volatile load of the item's
     * runningOn ({@code Work.lvRunningOn}), which this worker stores with release after setting
     * this field: so a queuer that finds the item running here sees its pwq, or a later value
     * (then the item has finished there). Plain: it is written twice per item. A lock holder
     * ending a streak reads other workers' racily ({@code runsElsewhere}).
     */
    PoolWorkqueue currentPwq;
    final WorkList scheduled = new WorkList(); // L: items handed over because they run here
    boolean idle;                        // L: on the pool's idle list
    long lastActive;                     // L: when it last went idle (nanoTime), for culling oldest first
    volatile boolean retired;            // L (written), V: left the pool; the thread ends when it wakes (read before an idle park)
    /**
     * X (and the carrier thread its continuation runs on): inside an item's function; blocking
     * there is the item's. Read racily by the monitor's sampler (a verdict it gets wrong for an
     * instant is checked again under the pool lock, for the same item).
     */
    boolean inItem;
    /** X: recording a blocking transition; blocking inside it is ignored. */
    private boolean inTransition;
    int itemSeq;                         // X: items started, the monitor's mark of progress
    int monitorSeq;                      // M: itemSeq when the monitor last saw a new item here
    long monitorSince;                   // M: the worker's CPU time (or the clock) at the item's second sighting, or -1
    long monitorCpu;                     // M: the worker's CPU time at the last sample of this item, or -1
    Thread monitorThread;                // M: the thread whose CPU time the two above are (a virtual worker's carrier changes)
    /** Written once by a platform worker as it starts, read by the monitor: the kernel's syscall file of its thread, or null. */
    volatile java.io.File syscallFile;

    /**
     * V: an item this worker queued on its own pool while running one, held back so that it runs
     * here next instead of crossing to another CPU (see {@link #holdChained}); null if none. Set
     * by this worker, taken by getAndSet or CAS by whoever lets it go.
     */
    private volatile Work held;
    /**
     * V: set by whoever lets this worker's held item go, before the atomic that clears
     * {@link #held}; cleared by this worker at its end under the pool lock, which has put every
     * item let go among its pwq's waiting ones by then. While set, a pwq of one active item
     * (ordered) hands its slot over under the lock only ({@link #passOn}): the item let go is the
     * next in queueing order, and without the lock it could be on no list for an instant.
     */
    private volatile boolean heldLetGo;
    /**
     * X: run-next items run in a row while older items wait on the worklist (see
     * {@link #RUN_NEXT_QUANTUM_NANOS}); -1 once the streak's quantum is spent; back to 0 when
     * the worker takes the worklist's first or finds nothing older waiting. (A spent streak
     * left standing refused the next streak's first item: a flaky RunNextQuantumTest.)
     */
    private int runNextInARow;
    /** X: when the first of them was let run ({@link System#nanoTime}); meaningful while runNextInARow > 0. */
    private long runNextSince;
    /** X: the value of runNextInARow at which the streak next reads the clock. */
    private int runNextClockAt;
    /** X: a running stretch of {@link #serve} was cut at {@link #activationTurns} items; the next call resumes it. */
    private boolean inStretch;
    /** X: the items and idle turns of the current activation of {@link #serve} ({@link LongLoops#workerActivationTurns}). */
    private int activationTurns;
    /** X: the held item activated at the end of the last item, to run next, or null. */
    private Work runNext;
    /**
     * X: the item taken by {@link #passOn} when the pass fell through: the end under the lock
     * gives it the slot. Stored only then: a worker is an old object and the item a young one,
     * and with G1 on JDK 25 such a store costs a full fence in its write barrier (the card
     * check), once per chain step when passOn stored it on every pass.
     */
    private Work taken;
    /** X: items passed on without the lock since this worker last ended one under it (see {@link #passOn}). */
    private int passes;
    /** X: the flush color of the item being run, read before its start cleared it from the item. */
    private int currentColor;
    /**
     * X: units in flight of {@link #currentColor} that items this worker passed its slot on from
     * have not taken off their pwq's count yet ({@link #oweUnit}); paid with the current item's
     * own unit when it ends.
     */
    private int owed;
    /**
     * V: the held item to which the item being run lent its unit in flight ({@link #mayLendTo}),
     * or null. Set by this worker before it holds the item. Taken by this worker's end
     * ({@link #takeLend}: the held item keeps the unit wherever it is by then, and the ended item
     * uncounts nothing), or by a lock holder letting the held item go ({@link #takeBackLend}),
     * which counts a unit of its own for it first: whichever of the two takes it decides, and the
     * count in flight never drops below the items in it.
     */
    private volatile Work lent;

    /* --------------- Concurrency management state (V) --------------- */

    static final int ACTIVE = 1, SLEEPING = 2, HOGGING = 4;
    private static final int SOURCE_SHIFT = 4, SOURCE_MASK = 0xF << SOURCE_SHIFT;
    /** V: see the overview; CAS only. */
    private volatile int cm;
    /** V: the begun WorkerSleeping event while SLEEPING, or null; handed over by getAndSet. */
    private volatile WorkerSleeping sleepEvent;

    /* Field updaters, not VarHandles: see "Field updaters" in package-info.java. */
    private static final AtomicIntegerFieldUpdater<Worker> CM = AtomicIntegerFieldUpdater.newUpdater(Worker.class, "cm");
    private static final AtomicReferenceFieldUpdater<Worker, WorkerSleeping> SLEEP_EVENT =
            AtomicReferenceFieldUpdater.newUpdater(Worker.class, WorkerSleeping.class, "sleepEvent");
    private static final AtomicReferenceFieldUpdater<Worker, Work> HELD =
            AtomicReferenceFieldUpdater.newUpdater(Worker.class, Work.class, "held");
    private static final AtomicReferenceFieldUpdater<Worker, Work> LENT =
            AtomicReferenceFieldUpdater.newUpdater(Worker.class, Work.class, "lent");

    /** A platform worker of {@code pool}, not started. */
    Worker(WorkerPool pool, int id, String name) {
        this(pool, id, name, pool.highPri, false);
    }

    /** A platform worker (a pool's, or a rescuer), not started. */
    Worker(WorkerPool pool, int id, String name, boolean highPri, boolean rescuer) {
        this.pool = pool;
        this.id = id;
        this.rescuer = rescuer;
        this.carried = null;
        this.thread = new WorkerThread(this, name, highPri);
    }

    /** A virtual worker of {@code pool} on {@code carriers}, not started. */
    Worker(WorkerPool pool, int id, String name, CarrierGroup<Worker> carriers) {
        this.pool = pool;
        this.id = id;
        this.rescuer = false;
        this.carried = carriers.newWorker(this, name, new VirtualBody(this));
        this.thread = carried.thread();
    }

    /** The worker the calling thread is, or null. */
    static Worker current() {
        Thread t = Thread.currentThread();
        if (t instanceof WorkerThread wt) {
            return wt.worker;
        }
        return t.isVirtual() ? ofVirtual(t, VirtualThreadAccess.currentCarrier()) : null;
    }

    /**
     * The worker whose thread is {@code t}, the calling virtual thread, mounted on {@code carrier}
     * (null if not known): the worker a carrier of ours runs ({@link CarrierThread#mounted()});
     * otherwise, as where the carrier cannot be known, the worker the thread registered itself
     * as ({@code VIRTUAL_CURRENT}, null for a virtual thread that is no worker).
     */
    static Worker ofVirtual(Thread t, Thread carrier) {
        if (carrier instanceof CarrierThread ct) {
            CarriedWorker<?> m = ct.mounted();
            if (m != null && m.worker instanceof Worker w && w.thread == t) {
                return w;
            }
        }
        return VIRTUAL_CURRENT.get();
    }

    void start() {
        thread.start();
    }

    String getName() {
        return thread.getName();
    }

    boolean isVirtual() {
        return carried != null;
    }

    @Override
    public String toString() {
        return thread.getName();
    }

    /** Whether it counts toward nrRunning now (a racy read: for samplers and dumps). */
    boolean counted() {
        return counted(cm);
    }

    private static boolean counted(int s) {
        return (s & (ACTIVE | SLEEPING | HOGGING)) == ACTIVE;
    }

    /** Who reported it sleeping, or null (a racy read). */
    BlockingSource sleepSource() {
        int s = cm;
        return (s & SLEEPING) == 0 ? null : BlockingSource.ALL.get(((s & SOURCE_MASK) >>> SOURCE_SHIFT) - 1);
    }

    boolean isSleeping() {
        return (cm & SLEEPING) != 0;
    }

    boolean isHogging() {
        return (cm & HOGGING) != 0;
    }

    /** CAS {@code s -> n}; on success, the change of count goes to the pool. */
    private boolean cas(int s, int n) {
        if (!CM.compareAndSet(this, s, n)) {
            return false;
        }
        boolean was = counted(s), is = counted(n);
        if (was != is) {
            pool.countRunning(this, is ? 1 : -1);
        }
        return true;
    }

    /** L, this worker: it starts taking items; it counts unless it sleeps or hogs (a rescuer never counts). */
    void enterRunning() {
        if (rescuer) {
            return;
        }
        for (int s; !cas(s = cm, s | ACTIVE); ) {
            // retry: a carrier or the monitor changed the word
        }
    }

    /** L, this worker: it takes no more items; whatever it was marked with ends. */
    void leaveRunning() {
        for (int s; !cas(s = cm, 0); ) {
            // retry
        }
        endSleepEvent();
    }

    /** L, this worker: its item ended: it counts again, whatever the item was marked with. */
    void itemEnded() {
        int s = cm;
        if (s == ACTIVE || s == 0) {
            return; // the common case: nothing happened to it (one read, no CAS)
        }
        while (!cas(s, s & ACTIVE)) {
            s = cm;
        }
        endSleepEvent();
    }

    /**
     * Any thread: the worker blocked inside an item ({@code wq_worker_sleeping}), as
     * {@code source} tells. False if it changed nothing (not in its running section, or
     * already known to sleep). A hook or explicit call reporting what the sampler guessed takes
     * the report over: it reports the end itself (the sampler would undo its guess as soon as the
     * thread looks RUNNABLE, which a native socket read does).
     */
    boolean sleep(BlockingSource source) {
        int marked = markSleeping(source);
        if (marked == NEWLY_ASLEEP) {
            pool.sleeps.incrementAndGet(source.ordinal());
            releaseHeld();
            beginSleepEvent(source);
        }
        return marked != UNCHANGED;
    }

    /* What markSleeping did. */
    private static final int UNCHANGED = 0, NEWLY_ASLEEP = 1, SOURCE_TAKEN_OVER = 2;

    /**
     * The state change of {@link #sleep} alone, without letting the held item go: for sleep,
     * and for a test that plays a monitor verdict crossing a hold ({@link #letGoHeldIfUncounted}).
     */
    int markSleeping(BlockingSource source) {
        int src = (source.ordinal() + 1) << SOURCE_SHIFT;
        for (;;) {
            int s = cm;
            if ((s & ACTIVE) == 0) {
                return UNCHANGED;
            }
            if ((s & SLEEPING) != 0) {
                if (source == BlockingSource.SAMPLER || sleepSource() != BlockingSource.SAMPLER) {
                    return UNCHANGED;
                }
                if (CM.compareAndSet(this, s, (s & ~SOURCE_MASK) | src)) {
                    return SOURCE_TAKEN_OVER;
                }
                continue;
            }
            if (cas(s, (s & ~SOURCE_MASK) | SLEEPING | src)) {
                return NEWLY_ASLEEP;
            }
        }
    }

    /**
     * Any thread: the worker runs again ({@code wq_worker_running}). {@code by}: who says so;
     * the sampler only undoes its own verdicts, the others end any sleep.
     */
    boolean wake(BlockingSource by) {
        for (;;) {
            int s = cm;
            if ((s & SLEEPING) == 0) {
                return false;
            }
            if (by == BlockingSource.SAMPLER && sleepSource() != BlockingSource.SAMPLER) {
                return false;
            }
            if (cas(s, s & ~(SLEEPING | SOURCE_MASK))) {
                endSleepEvent();
                return true;
            }
        }
    }

    /** Any thread: it runs a CPU-intensive item, or one found hogging; false if it already did. */
    boolean hog() {
        for (;;) {
            int s = cm;
            if ((s & ACTIVE) == 0 || (s & HOGGING) != 0) {
                return false;
            }
            if (cas(s, s | HOGGING)) {
                releaseHeld();
                return true;
            }
        }
    }

    private void beginSleepEvent(BlockingSource source) {
        WorkerSleeping ev = Tracepoints.workerSleeping(source.detection);
        if (ev == null) {
            return;
        }
        sleepEvent = ev;
        // It may have been woken before we stored the event: end it now then.
        if ((cm & SLEEPING) == 0) {
            endSleepEvent();
        }
    }

    private void endSleepEvent() {
        WorkerSleeping ev = sleepEvent;
        if (ev != null && SLEEP_EVENT.compareAndSet(this, ev, null)) {
            Tracepoints.workerRunning(ev, pool.id, getName());
        }
    }

    /**
     * Called by this worker inside an item: it is about to block ({@code wq_worker_sleeping}).
     * Returns whether it now counts as sleeping; if so, {@link #endBlocking} must follow.
     * Ignored outside an item's function and while a transition is being recorded (a hook inside
     * the JDK code a transition calls must not recurse). Takes no lock and never waits.
     */
    boolean beginBlocking(BlockingSource source) {
        if (!inItem || inTransition) {
            return false;
        }
        inTransition = true;
        try {
            return sleep(source);
        } finally {
            inTransition = false;
        }
    }

    /** Called by this worker after {@link #beginBlocking} returned true ({@code wq_worker_running}). */
    void endBlocking(BlockingSource source) {
        inTransition = true;
        try {
            wake(source);
        } finally {
            inTransition = false;
        }
    }

    /* --------------- Held chained items --------------- */

    /**
     * How long run-next items (held items, and an ordered pwq's items handed its slot) may run in
     * a row on one worker while older items wait on the worklist; then the next takes its turn at
     * the worklist's end. Bounds what a chain that keeps queueing makes the pool's other items
     * wait, as Go's run-next slot inherits its time slice. By time, not by count: counted, a
     * chain of 2 us steps took ten times the CPU of a logger's ordered workqueue of 0.2 us items
     * per turn (`bench/run.sh mixed`: the ordered items ran 4-6x slower than with the quantum).
     */
    static final long RUN_NEXT_QUANTUM_NANOS = 100_000;
    /**
     * Worklist items looked at, at the end of a streak that spent its quantum, for the first of
     * another workqueue (that no other worker runs: {@link #turnAfterSpentStreak}), which then
     * runs before the older items of the streak's workqueue ({@link #nextItem}): turns between
     * streaks go by workqueue, not by item. In worklist order,
     * a busy workqueue's chains each took a turn, and a logger's ordered workqueue beside four of
     * them got one turn in five, its burst at 107-125 ns an item against 26 on a single-thread
     * executor's own thread; by workqueue, 47-78 ns, the busy chains' steps 15% slower and still
     * faster than beside the JDK's pools (`bench/run.sh mixed`, bench/README.md, "Session 35").
     * Items of one pwq keep their order; between workqueues Linux promises none. Bounded: a
     * worklist of one workqueue's items is not walked to its end at every streak's end.
     */
    static final int OTHER_WORKQUEUE_SCAN = 64;
    /**
     * Run-next items before a streak first reads the clock, and the fewest between two readings
     * (a read costs 20-50 ns on the hosts measured, a chain step 40-300 ns): a streak of slow
     * items may overrun its quantum by this many items less one, as many as the count of 8 it
     * replaces allowed.
     */
    static final int RUN_NEXT_CLOCK_EVERY = 8;
    /**
     * The most run-next items between two readings of the clock: a streak of items of a few tens
     * of nanoseconds reads it at most this seldom.
     */
    static final int RUN_NEXT_CLOCK_MOST = 64;
    /**
     * How much of the quantum a streak may overrun at its own pace between readings: the next
     * reading comes after as many items as fit in this time at the pace measured so far, between
     * {@link #RUN_NEXT_CLOCK_EVERY} and {@link #RUN_NEXT_CLOCK_MOST}. Reading every 8th item cost
     * a chain of 45-50 ns steps 3.8% of its samples in {@code clock_gettime} (perf, session 25).
     */
    static final long RUN_NEXT_OVERRUN_NANOS = RUN_NEXT_QUANTUM_NANOS / 10;

    /**
     * X: a run-next item would run while older items wait: whether the streak may go on. Its
     * first item may; then, at the {@link #RUN_NEXT_CLOCK_EVERY}th and at each later reading of
     * the clock ({@link #RUN_NEXT_OVERRUN_NANOS} apart at the streak's pace), only while the
     * streak is younger than {@link #RUN_NEXT_QUANTUM_NANOS}. Once refused, refused until the
     * worker takes the worklist's first ({@link #nextItem}): a held item refused a pass is asked
     * about again there, under the lock.
     */
    private boolean mayRunNextAgain() {
        int n = runNextInARow;
        if (n < 0) {
            return false;
        }
        runNextInARow = n + 1;
        if (n == 0) {
            runNextSince = System.nanoTime();
            runNextClockAt = RUN_NEXT_CLOCK_EVERY;
            return true;
        }
        if (n < runNextClockAt) {
            return true;
        }
        long age = System.nanoTime() - runNextSince;
        if (age < RUN_NEXT_QUANTUM_NANOS) {
            long perItem = Math.max(1, age / n);
            runNextClockAt = n + Math.clamp(RUN_NEXT_OVERRUN_NANOS / perItem, RUN_NEXT_CLOCK_EVERY, RUN_NEXT_CLOCK_MOST);
            return true;
        }
        runNextInARow = -1;
        return false;
    }

    /**
     * The queuer of {@code w}, which it owns, counted and colored as waiting on {@code pwq}:
     * whether the queuing worker {@code me} (the caller's, or null if the caller is no worker)
     * holds it back, with its own item's unit if {@code lent} ({@link #mayLendTo}), to run it
     * right after its current item on the same CPU, instead of sending it through the lock-free
     * queue, the announcement and the worklist, whose lines the pool's other CPUs write (a chain
     * step costs several times what it costs on one CPU: docs/status-2026-12.md). A worker holds
     * an item when
     * <ul>
     *   <li>it runs an item of the same pwq, counted in nrRunning;
     *   <li>the pool runs as many workers as it aims at, so that no other worker would take
     *       the item now, and every item of the pwq in flight, this one included, fits under
     *       max_active ({@code inFlightBefore}, the items in flight before this one, is below
     *       it): none waits for a slot, so Linux would make this one active at once, behind no
     *       one. (Items other workers hold are in flight and not active: each takes its own
     *       worker's slot.) It takes the slot of the worker's item when that ends ({@link PoolWorkqueue#passSlot},
     *       or {@link #passOn} without the lock), so it never runs beside it, and max_active
     *       holds;
     *   <li>or the pwq allows one active item (ordered) and the worker's item is the only one in
     *       flight: the queued item is then the only one waiting, and the slot it waits for is
     *       that item's, as Linux would hand it over. (No other worker can hold an item of this
     *       pwq then, having no item of it to run; {@link PoolWorkqueue#setMaxActive} lets held
     *       items go, so a raised limit starts them at once.)
     * </ul>
     * One item at most: a second one queued meanwhile lets the first go before it goes the usual
     * way, so that they wait in queueing order.
     *
     * <p>A held item is on no list, so whatever would have let another worker take it first lets
     * it go: the worker blocks or hogs ({@link #releaseHeld}, to the pool's released items, which
     * the next lock holder puts first among the waiting ones); and under the pool lock
     * ({@link #takeHeld}) a worker about to go idle, a lock holder that sees the pool under-used,
     * cancel and shutdownNow.
     */
    static boolean holdChained(PoolWorkqueue pwq, Work w, int inFlightBefore, Worker me, boolean lent) {
        if (me == null || me.currentPwq != pwq || me.rescuer) {
            return false;
        }
        if (me.held != null) {
            me.releaseHeld(); // keep queueing order: the held one first, then w the usual way
            return false;
        }
        WorkerPool p = pwq.pool;
        boolean room = inFlightBefore < pwq.maxActive;
        if (!mayHoldAfter(pwq, inFlightBefore) || pwq.plugged || !counted(me.cm)
                || room && p.nrRunning < p.aim) {
            return false;
        }
        if (lent) {
            // Published by the release store of `held` below: whoever takes the item sees the lend.
            LENT.lazySet(me, w);
        }
        // No fence between this store and the read of cm below: a full fence per chain step was
        // a tenth of a per-CPU chain's time (docs/status-2026-12.md, session 19). sleep() and
        // hog() change cm, then let the held item go. Called on this thread (hooks, explicit
        // calls, a CPU-intensive start) they follow this store in program order; a carrier's
        // sleep() runs once this continuation has returned to it, on the same thread, after it.
        // Only the monitor's verdicts (a sampled sleep, a hog) run beside it: one that crosses
        // this store may read no held item while we read cm from before it, and then the
        // monitor's next pass lets the item go (PoolMonitor.pass, letGoHeldIfUncounted), before
        // it can stop watching the pool.
        HELD.lazySet(me, w);
        if (!counted(me.cm)) {
            me.releaseHeld();
        }
        return true;
    }

    /**
     * The monitor, under the pool lock: lets the held item go if this worker no longer counts
     * as running, which a verdict that crossed the item's hold missed ({@link #holdChained}).
     */
    void letGoHeldIfUncounted() {
        if (held != null && !counted(cm)) {
            releaseHeld();
        }
    }

    /**
     * Whether the count in flight leaves room to hold a chained item ({@link #holdChained}):
     * every item in flight fits under max_active, or the pwq allows one and only the queuer's
     * item is in flight. {@code inFlightBefore}: the items in flight before the new one.
     */
    static boolean mayHoldAfter(PoolWorkqueue pwq, int inFlightBefore) {
        int max = pwq.maxActive;
        return inFlightBefore < max || max == 1 && inFlightBefore == 1;
    }

    /**
     * The calling worker, about to queue an item on {@code pwq} whose in-flight word reads
     * {@code word}: whether the item may be counted in flight with this worker's own item's
     * unit, lent, rather than a unit of its own. The worker runs an item of {@code pwq}, holds
     * none, and has not lent that item's unit yet; the work color is still its item's (no flush
     * moved it on); and the count leaves room to hold the item ({@link #mayHoldAfter}, as
     * {@link #holdChained} will read it from the same word: while items wait, a lend is not
     * tried). The queuer then gives the item the color of the worker's item, and the item is
     * held back ({@link #holdChained}: if it is not after all, it is counted as usual). Its
     * holder's item ends without uncounting, and the held item carries the unit from then on,
     * so the count in flight never drops in between: what drain, flush, shutdown and
     * retirement read of it holds. A chain step then costs no atomic on the pwq's in-flight
     * word, which every CPU of an unbound pool writes (two per step otherwise: the count and
     * the uncount).
     */
    boolean mayLendTo(PoolWorkqueue pwq, long word) {
        return currentPwq == pwq && lent == null && held == null && !rescuer
                && PoolWorkqueue.colorOf(word) == currentColor
                && mayHoldAfter(pwq, PoolWorkqueue.inFlightBefore(word));
    }

    /**
     * The ending item's side of a lend ({@link #lent}): true if it had lent its unit and the
     * held item still carries it (so the ending item uncounts nothing), false if nothing was
     * lent or a lock holder gave the held item a unit of its own meanwhile. {@code claimed}: the
     * held item this worker took out of its hold itself, or null. A lend to that item is this
     * worker's alone (a lock holder takes the lend only after the item), so no atomic is
     * needed: the common case of a chain step.
     */
    private boolean takeLend(Work claimed) {
        Work l = lent;
        if (l == null) {
            return false;
        }
        if (l == claimed) {
            LENT.lazySet(this, null);
            return true;
        }
        return LENT.getAndSet(this, null) != null;
    }

    /**
     * Items passed on without the pool lock in a row ({@link #passOn}) before an end goes
     * through it: bounds how long the pool's and pwq's started and completed counters lag (they
     * are added up then), and how long waiting work a racy look missed can wait (each pass looks
     * again, so only for as long as the look keeps missing it; the watchdog only counts a pool
     * stalled while its worklist has work, and then nothing is passed). Was 16: an unbound
     * workqueue's chains then took the pool lock every 16 steps, on both CPUs, and ran in
     * 49-64 ns a step against ForkJoinPool's 28; at 128, 28-31 (`bench/alternate.sh 5`, 2026-12-05;
     * per-CPU chains 30.0 -> 26.6). 64 measured 33-37, 256 and 1024 26-29.
     */
    static final int PASS_LIMIT = 128;

    /**
     * No lock: the item {@code ended} of {@code pwq}, of flush color {@code color}, has returned;
     * its slot goes to the next item of the pwq, which starts here without the pool lock and is
     * returned: the item this worker holds (what {@link PoolWorkqueue#passSlot} does under the
     * lock), or else the oldest waiting item, taken off the pwq's lock-free queue with the
     * consumer's turn (what {@code handOverSlot} does under the lock; a full pwq's chain, or a
     * backlog, then moves from item to item without the lock). Only for the case that needs
     * nothing the lock guards: while older items wait in the pool (a racy look at the worklist,
     * announcements and released items), only a run-next item (the held one, or an ordered
     * pwq's next, as {@link #nextItem} runs it) and only within the streak's quantum
     * ({@link #RUN_NEXT_QUANTUM_NANOS}); not {@link #PASS_LIMIT} items without the lock; for a
     * pwq of one active item, no waiting item once an item this worker held was let go
     * ({@link #heldLetGo}); nothing was handed over to this worker; the pwq would pass the slot; the
     * workqueue is not stopping; the next item runs nowhere; no other instance of the ended item
     * is pending or was cancelled while it ran; and no flush moved the work color on since the
     * ended item was queued. Otherwise null: the caller ends {@code ended} under the lock as
     * usual, with the next item if it took it ({@link #taken}). On two CPUs of one pool this
     * spares a chain step the pool lock, which both workers took on every step
     * (docs/status-2026-12.md).
     *
     * <p>What replaces the lock, step by step:
     * <ul>
     *   <li>interrupts: cleared first, then the stop flag read: shutdownNow sets the flag before
     *       it interrupts, so an interrupt after the clear finds the next item, of the same pwq,
     *       started after the flag was read unset (the contract: items that began are
     *       interrupted); the next end under the lock clears again;
     *   <li>cancel and shutdownNow meanwhile: the next item, taken by getAndSet or off the
     *       queue, is on no list and pending; {@link Work#tryGrabPending} retries until it starts (Linux's
     *       {@code -EAGAIN} for an item in transit); shutdownNow does not return it, and it runs;
     *   <li>the ended item's done count: its runningOn is cleared with a volatile store before
     *       its state is read (Dekker with {@link PoolWorkqueue#removePending}, which reads
     *       runningOn volatile under the lock before it gives a credit); if another instance
     *       is pending or a credit was given, the lock decides;
     *   <li>the slot: it changes hands, nrActive stays; the ended item's unit is owed until the
     *       next item ends, if that has its color ({@link #oweUnit}), or uncounted, with what was
     *       owed, by a CAS that checks its color is still the work color
     *       ({@link PoolWorkqueue#uncountPassed}); it never completes a flush, nor makes the pwq
     *       idle (the started item is counted);
     *   <li>the counters: {@link #passes}, added to the pool's and pwq's at the next end under
     *       the lock.
     * </ul>
     */
    private Work passOn(Work ended, PoolWorkqueue pwq, int color) {
        WorkerPool p = pool;
        boolean holding = held != null;
        // Cheap looks first: an ordered pwq's end without a held item (every item of a burst)
        // must not pay for the pool's shared lines below.
        boolean oneActive = pwq.maxActive == 1;
        // heldLetGo is read after held (the let-go sets it before it clears held).
        if (passes >= PASS_LIMIT || !scheduled.isEmpty()
                || !holding && (!pwq.mayTakeWaitingUnlocked() || oneActive && heldLetGo) || !pwq.mayPassSlot()) {
            return null;
        }
        boolean othersWait = !p.nothingWaitsBut(pwq);
        // As under the lock (nextItem): while older items wait, run-next items (a held one, an
        // ordered pwq's next) run in a row for one quantum, and a waiting item of a pwq of more
        // active items goes behind them (handOverSlot, to the worklist). Nothing older waiting,
        // no streak runs.
        if (!othersWait) {
            runNextInARow = 0;
        } else if (!holding && !oneActive || !mayRunNextAgain()) {
            return null;
        }
        Thread.interrupted(); // before the stop flag is read: see above
        if (pwq.wq.isStopping()) {
            return null;
        }
        itemEnded();
        Work next = holding ? HELD.getAndSet(this, null) : pwq.pollWaitingUnlocked(this);
        if (next == null) {
            return null; // let go meanwhile, or nothing waits (the slot is freed under the lock)
        }
        // An unseen item has no runningOn to clear, no other instance and no done count (Work).
        boolean unseen = ended.isUnseen();
        if (!unseen) {
            ended.svRunningOn(null);
        }
        // The ended item's only pending instance may be the held one, which nobody else can take.
        if (ended != next && ended.isPending() || ended.doneCredit() != 0
                || next.lvRunningOn() != null || !(takeLend(holding ? next : null) || oweUnit(pwq, color, next, holding))) {
            // It ends under the lock: it runs here until then, unless a later instance, queued
            // elsewhere while nothing said it ran, started meanwhile (then that one runs).
            if (!unseen) {
                ended.casRunningOn(null, this);
            }
            taken = next; // stored only here: see the field
            return null;
        }
        if (!unseen) {
            ended.addDoneSeq(1);
        }
        passes++;
        pwq.traceActivated(next);
        start(next, pwq, next.color());
        return next;
    }

    /**
     * In a pass ({@link #passOn}): the ended item's unit in flight, of {@code color}, leaves
     * the count of {@code pwq}, or is owed ({@link #owed}) until the item passed on to,
     * {@code next}, ends; true unless a flush moved the work color on (the end under the lock
     * then uncounts). Owed while {@code next}, taken from the waiting items, has the same color:
     * the count the pwq's queuers add to without the lock then stays as it is, so a full pwq's
     * hand-off writes one line less that its queuers write per item (bursts and chains on a
     * fixed-size pool: docs/design.md, "A passed slot owes its unit"). A unit owed only keeps
     * the count higher, never lower, than the items in flight, and only while {@code next},
     * of that color, is in flight itself: a flush of the color, a drain or a retirement waits
     * for {@code next} anyway, and the end that uncounts {@code next} pays what is owed. Not for
     * a held item: the count is what tells a chain step whether it may be held (holdChained).
     */
    private boolean oweUnit(PoolWorkqueue pwq, int color, Work next, boolean holding) {
        if (!holding && next.color() == color) {
            owed++;
            return true;
        }
        if (pwq.uncountPassed(color, 1 + owed)) {
            owed = 0;
            return true;
        }
        return false;
    }

    /**
     * The item {@code w} of {@code pwq} (the current pwq already) becomes this worker's current
     * item and leaves its pwq: under the lock ({@link #processOneWork}) or in a pass
     * ({@link #passOn}).
     */
    private void start(Work w, PoolWorkqueue pwq, int color) {
        currentWork = w;
        currentColor = color;
        itemSeq++;
        if (!w.isUnseen()) {
            w.soRunningOn(this);
        }
        w.soNoPwq(); // before PENDING clears: afterwards a new owner may link the item elsewhere
        w.setPoolAndClearPending(pool.id);
        if (pwq.wq.cpuIntensive) {
            hog();
        }
    }

    /**
     * Racily, for a pool lock holder counting a pwq's items in flight
     * ({@link WorkerPool#countInFlight}): the units that count holds beyond this worker's items,
     * those owed ({@link #oweUnit}) less the one lent to an item it chained ({@link #mayLendTo}).
     */
    int unitsOwedLessLent() {
        return owed - (lent != null ? 1 : 0);
    }

    /**
     * Items passed on without the lock since the last end under it: by this worker, or racily
     * by a pool lock holder counting the items its pwq finished ({@link WorkerPool#countCompleted}).
     */
    int passesSinceLock() {
        return passes;
    }

    /**
     * Any thread, no lock: the held item, if any, goes to the pool's released items; one that
     * carries this worker's lent unit goes with a unit of its own, or through a lock holder.
     */
    void releaseHeld() {
        if (held == null) {
            return;
        }
        heldLetGo = true;
        Work w = HELD.getAndSet(this, null);
        if (w == null) {
            return;
        }
        // A lent unit: inside the lending item, on its own thread (which cannot end that item
        // meanwhile), the item is counted anew here while the work color is unchanged; otherwise
        // the lock holder that takes it from the released items does, before it can run.
        if (lent == w && Thread.currentThread() == thread && w.pwq.countUnitOfWorkColor(w.color())) {
            lent = null; // ours to clear: a lock holder takes a lend only with its item
        }
        pool.release(w);
    }

    /**
     * L: {@code w}, held by this worker and let go by someone else, may carry the lent unit of
     * this worker's item ({@link #lent}): if so it is counted a unit of its own before the lend
     * is taken back, so that the count never drops below the items in flight; if the item's end
     * took the lend first, {@code w} keeps that unit instead. True if {@code w} was the lent item.
     */
    boolean takeBackLend(Work w) {
        if (lent != w) {
            return false;
        }
        w.pwq.countUnit(w.color(), 1);
        if (!LENT.compareAndSet(this, w, null)) {
            w.pwq.countUnit(w.color(), -1);
        }
        return true;
    }

    /** Whether it holds an item back (a racy read). */
    boolean holds() {
        return held != null;
    }

    /** The item it holds back, or null (a racy read, for dumps). */
    Work heldItem() {
        return held;
    }

    /**
     * L: takes the held item, if any, out of this worker's hold, first among its pwq's waiting
     * items ({@link PoolWorkqueue#addHeld}); returns it, or null. {@code only}: take only that item.
     */
    Work takeHeld(Work only) {
        Work w = held;
        if (w == null || only != null && w != only) {
            return null;
        }
        heldLetGo = true;
        if (!HELD.compareAndSet(this, w, null)) {
            return null;
        }
        takeBackLend(w);
        w.pwq.addHeld(w);
        return w;
    }

    /** The item this worker runs; called by this worker only (Work.current()). */
    Work lpCurrentWork() {
        return currentWork;
    }

    /** The worker's body ({@code worker_thread}), on its own thread: its loop, {@link #serve}, until it exits. */
    void run() {
        if (carried == null) {
            WorkerPlacement.apply(this);
            syscallFile = KernelThreadState.syscallFileOfCurrentThread();
        } else {
            VIRTUAL_CURRENT.set(this);
        }
        WorkerPool p = pool;
        p.lock();
        try {
            while (serve(p)) {
                // The loop goes on in a fresh activation (LongLoops says why).
                Consumer<Worker> hook = loopResumed;
                if (hook != null) {
                    hook.accept(this);
                }
            }
        } finally {
            p.unlock();
        }
    }

    /**
     * L, held on entry and on return: the worker's loop ({@code worker_thread}) for at most
     * {@link LongLoops#workerActivationTurns} items and idle turns; true to be called again, false
     * once the worker has exited.
     * A running stretch cut there goes on in the next call ({@link #inStretch}), with nothing
     * in between: the lock stays held.
     */
    private boolean serve(WorkerPool p) {
        int calls = 0;
        activationTurns = LongLoops.workerActivationTurns();
        do {
            calls = serveTurn(p, calls);
            if (calls < 0) {
                return false;
            }
        } while (calls < activationTurns);
        return true;
    }

    /**
     * L, held on entry and on return: one turn of {@link #serve}'s loop (a running stretch, or
     * an idle park, or a look that finds more to do first), with {@code calls} items and idle
     * turns so far; returns the count after it, or -1 once the worker has exited. A method of
     * its own so that the JIT compiles it by its calls: a loop's body is compiled only with its
     * loop, by on-stack replacement after tens of thousands of back edges, and a pool woken for
     * one item at a time ran {@code serve}'s loop interpreted for its first 60,000 turns and in
     * C1's profiling code for 40,000 more (10 s at 10,000 items a second, against under a second
     * now); C2's compile of it then took a CPU from a worker for 2-3 ms in the middle of the
     * load (bench/README.md, "Session 41").
     */
    private int serveTurn(WorkerPool p, int calls) {
        if (!inStretch) {
            if (retired) {
                p.workerExited(this);
                return -1;
            }
            if (idle) {
                p.leaveIdle(this);
            }
            // Keep a spare ready before taking work, so that another worker can take over
            // the moment this one blocks (may_start_working).
            if (p.needMoreWorker() && !p.hasIdle()) {
                p.manage();
            }
            if (p.needMoreWorker()) {
                enterRunning();
                inStretch = true;
            }
        }
        if (inStretch) {
            for (;;) {
                processOneWork(nextItem(p));
                calls++;
                while (!scheduled.isEmpty()) {
                    processOneWork(scheduled.first());
                    calls++;
                }
                if (!p.keepWorking()) {
                    break;
                }
                if (calls >= activationTurns) {
                    return calls; // still running: the next activation resumes the stretch here
                }
            }
            inStretch = false;
            p.takesNoNext();
            runNext = null;
            leaveRunning();
        }
        if (p.releaseAllHeld()) {
            return calls; // items other workers held back are ours to take before going idle
        }
        if (p.isDying()) {
            p.retireBusy(this);
            return calls;
        }
        p.enterIdle(this);
        p.unlock();
        Consumer<Worker> hook = beforeIdlePark;
        if (hook != null) {
            hook.accept(this);
        }
        if (mayParkIdle(p)) {
            Thread.interrupted(); // a stray interrupt must not turn park() into a spin
            LockSupport.park(p);
        }
        p.lock();
        return calls + 1; // idle turns count too: a worker woken for one item at a time
    }

    /**
     * Whether a worker that has just gone idle and released the pool lock may park: not on work
     * (Dekker with {@link WorkerPool#announce}: we stopped counting in nrRunning, then look for
     * announced pwqs; a queuer announces, then reads nrRunning), and not once a waker has chosen
     * it ({@link WorkerPool#kick}) or the pool has retired it, which each unpark it once. That
     * one unpark may have been taken on the way here: the unlock this worker just did can kick
     * this very worker (the most recent idle one) and then wait for a pwq's consumer's turn in an
     * activation, a park that takes the permit and gives nothing back. The worker then parked
     * for good while the pool, counting it as on its way, woke no other: every item stalled
     * (twin-cached chains on virtual workers, about one 20-second run in five, 2026-12-06).
     */
    private boolean mayParkIdle(WorkerPool p) {
        return !p.hasWorkForIdle() && !p.isWaking(this) && !retired;
    }

    /** Tests only: runs on a worker that has gone idle and released the pool lock, before it decides to park. */
    static volatile Consumer<Worker> beforeIdlePark;

    /** Tests only: runs on a worker, pool lock held, as its loop goes on in a fresh activation of {@link #serve}. */
    static volatile Consumer<Worker> loopResumed;

    /**
     * L: the item to run next: the held item the last one activated, in a row for up to
     * {@link #RUN_NEXT_QUANTUM_NANOS} while others wait; once that streak has spent its quantum,
     * the worklist's first item of another workqueue ({@link #OTHER_WORKQUEUE_SCAN}); else the
     * worklist's first.
     */
    private Work nextItem(WorkerPool p) {
        Work w = runNext;
        runNext = null;
        if (w != null && w.list == p.worklist && p.worklist.first() != w) {
            if (mayRunNextAgain()) {
                return w;
            }
            // Its streak spent its quantum: another workqueue's item, if one waits near the
            // front, has its turn first (see OTHER_WORKQUEUE_SCAN), unless every other
            // workqueue waiting has a worker already (turnAfterSpentStreak).
            Work turn = turnAfterSpentStreak(p, w);
            if (turn != null) {
                runNextInARow = 0;
                return turn;
            }
        }
        // The worklist's first: the run-next item itself if nothing older waits; a new streak either way.
        runNextInARow = 0;
        return p.worklist.first();
    }

    /**
     * L: the turn at the end of a streak that spent its quantum, {@code streaking} being its
     * run-next item, from one look at the worklist's first {@link #OTHER_WORKQUEUE_SCAN} items:
     * the first of another workqueue that no other running worker is running an item of; if
     * every other workqueue waiting there has one, {@code streaking}, whose streak starts again;
     * if the scan ends before the worklist, the first item of another workqueue, as before; null
     * if no item of another workqueue waits there.
     *
     * <p>Turns between workqueues, not between items, and a workqueue that has a worker does not
     * take a second one from a workqueue that has only this one: each busy workqueue keeps a
     * worker, as each of the JDK executors it replaces keeps a thread the OS shares the CPUs
     * between. Yielding regardless, an ordered workqueue (a logger's, an event bus's) took turns
     * on one worker with a busy workqueue that the other worker ran all along: half a worker for
     * its burst, 42-44 ns an item against 34-35 with this rule and the single-thread executor's
     * 25-51; the busy workqueue's steps 641-645 ns against 755-774, the JDK pool's 736-778
     * (`MixedBenchmark`, three forks each, bench/README.md, "Session 40").
     */
    Work turnAfterSpentStreak(WorkerPool p, Work streaking) {
        Workqueue mine = streaking.pwq.wq;
        Work other = null; // the first item of another workqueue
        Workqueue seen = null; // the last workqueue found running elsewhere: items of one come in runs
        Work x = p.worklist.first();
        for (int i = 0; x != null && i < OTHER_WORKQUEUE_SCAN; i++, x = x.next) {
            Workqueue wq = x.pwq.wq;
            if (wq == mine || wq == seen) {
                continue;
            }
            if (other == null) {
                other = x;
            }
            if (!runsElsewhere(p, wq)) {
                return x;
            }
            seen = wq;
        }
        return other == null ? null : x == null ? streaking : other;
    }

    /**
     * L: whether a worker of {@code p} other than this one, counted as running (not blocked or
     * hogging), is running an item of {@code wq} (racy reads of their current pwqs: a stale one
     * costs one turn).
     */
    private boolean runsElsewhere(WorkerPool p, Workqueue wq) {
        for (Worker other : p.workers) {
            PoolWorkqueue running = other.currentPwq;
            if (other != this && running != null && running.wq == wq && counted(other.cm)) {
                return true;
            }
        }
        return false;
    }

    /**
     * L: runs one item ({@code process_one_work}), and the held items it passes its slot to
     * without the lock ({@link #passOn}); drops the lock around them and returns with it held.
     */
    final void processOneWork(Work w) {
        WorkerPool p = pool;
        assert p.isLocked();
        Worker running = w.lvRunningOn();
        if (running != null && running != this && running.pool == p) {
            // The previous instance still runs here: it runs this one next, never two at once.
            w.list.remove(w);
            running.scheduled.addLast(w);
            return;
        }
        PoolWorkqueue pwq = w.pwq;
        int color = w.color();
        if (pwq.wq.isStopping()) {
            // shutdownNow began after this item's queuer checked: it does not start. Its queuer
            // takes it back, or shutdownNow returns it (Workqueue.insertOwned).
            pwq.removePending(w);
            w.abortQueue();
            pwq.wq.dropAfterStop(w);
            return;
        }
        w.list.remove(w);
        // Clear under the lock, before the item becomes current: interrupts aimed at it
        // (shutdownNow, Future.cancel) are sent under this lock once it is current, and must land.
        Thread.interrupted();
        currentPwq = pwq;
        pwq.started++;
        start(w, pwq, color);
        // More pending work gets another worker as the lock is dropped (WorkerPool.unlock:
        // chain execution for workers that do not count toward nrRunning).
        long stamp = w.executionStamp();
        p.unlock();
        long cpuUsed = 0; // of the last item: an item passed on was not sampled
        for (;;) {
            // Sampled items only (1 in sampleOneIn while a recording runs): the event, and the CPU
            // time that the workqueue statistics scale up from them.
            WorkExecution event = Tracepoints.executeStart(stamp);
            long cpuBefore = event != null ? CpuClock.currentThread() : -1;
            Throwable failure = null;
            Work next = null;
            inItem = true;
            try {
                w.fn.run();
            } catch (Throwable t) {
                inItem = false;
                failure = t;
                pwq.wq.reportFailure(this, w, t);
            } finally {
                inItem = false;
                if (event != null) {
                    if (cpuBefore >= 0) {
                        cpuUsed = Math.max(0, CpuClock.currentThread() - cpuBefore);
                    }
                    Tracepoints.executeEnd(event, pwq.wq.name(), TaskFunction.of(w.fn), p.id, getName(), isHogging(), failure);
                }
                if (event != null || failure != null || (next = passOn(w, pwq, color)) == null) {
                    p.lockToTakeNext();
                }
            }
            if (next == null) {
                break;
            }
            w = next;
            color = currentColor;
            stamp = w.executionStamp();
        }
        if (cpuUsed > 0) {
            pwq.cpuTimeNanos += cpuUsed * Tracepoints.sampleWeight();
        }
        // Interrupts aimed at this item (shutdownNow, Future.cancel) are sent under the lock
        // while it is current, so clearing here, under the lock, stops every one of them.
        Thread.interrupted();
        itemEnded(); // counts again if it was known blocked or hogging
        heldLetGo = false; // what was let go is among its pwq's waiting items now (lock(): takeReleased)
        // Not if a pass that fell through let a later instance start on another pool meanwhile
        // (passOn): its runningOn, and the credits given for it there, are that worker's.
        // An unseen item was never marked and has no done count (Work: unseen items).
        boolean unseen = w.isUnseen();
        boolean stillHere = !unseen && w.casRunningOn(this, null);
        currentWork = null;
        currentPwq = null;
        // This item, and those passed without the lock before it (their starts and ends).
        p.completed += 1 + passes;
        pwq.completed += 1 + passes;
        pwq.started += passes;
        passes = 0;
        if (!unseen) {
            int credit = 0;
            if (stillHere) {
                credit = w.takeDoneCredit();
            }
            w.addDoneSeq(1 + credit);
        }
        // What the item queued and we held takes its slot and runs next.
        Work next = taken;
        taken = null;
        Work claimed = null;
        if (next == null && held != null) {
            next = claimed = HELD.getAndSet(this, null);
        }
        boolean passed = next != null && pwq.passSlot(next);
        int units = (takeLend(claimed) ? 0 : 1) + owed; // a lent unit stays with the held item
        owed = 0;
        Work handedTo = pwq.decNrInFlight(color, !passed, units);
        // A pwq of one active item (ordered) whose slot went to its next waiting item runs it
        // next here, as its own thread would: at the worklist's end it would wait a whole round
        // of the pool's other items per item, and a busy pool's ordered workqueue (a logger's,
        // an event bus's) fell seconds behind the load (flagship demo, docs/status-2026-12.md).
        // Only its item is on the worklist, so no item of the pwq is overtaken; other pwqs'
        // items are, for one run-next quantum at most, as for a held item.
        runNext = passed ? next : handedTo != null && pwq.maxActive == 1 ? handedTo : null;
    }
}
