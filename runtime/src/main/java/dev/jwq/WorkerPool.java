package dev.jwq;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import dev.jwq.jfr.Tracepoints;
import dev.jwq.timer.Timer;
import dev.jwq.timer.TimerWheel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * A pool of worker threads shared by every workqueue that maps to it ({@code struct
 * worker_pool}).
 *
 * <h2>Implementation overview</h2>
 *
 * <p><b>Worklist.</b> Active work items of all the pool's PoolWorkqueues wait on one FIFO
 * worklist. A worker takes the first item, runs it with the lock dropped, and comes back.
 *
 * <p><b>Concurrency management.</b> A pool keeps {@code nrRunning}: workers that are running an
 * item and are not known to be blocked. A bound (per-CPU) pool aims at one: a worker about to
 * go idle keeps taking items while {@code nrRunning <= 1} ({@link #keepWorking}); queueing wakes
 * an idle worker only when nothing runs ({@link #needMoreWorker}). So a CPU's pool runs one item
 * at a time while items compute, and starts another the moment the running one blocks. The JVM
 * has no scheduler callback, so "blocks" is learnt from three sources, counted per pool in
 * {@link #sleeps} ({@link BlockingSource}): the agent's hooks on the JDK's blocking primitives
 * through {@code dev.jwq.spi.WorkerBlocking}, {@code Workqueues.blocking(...)} and
 * {@code managedBlock(...)}, and the {@link PoolMonitor} sampling worker thread states.
 * An item that computes past the CPU-intensive threshold stops counting, as in Linux 6.5+.
 *
 * <p>Unbound pools depart from Linux here, on purpose: Linux lets every pending item of an
 * unbound pool wake a worker and leaves the rest to the CPU scheduler. On the JVM that turns
 * a stream of short items into a herd of workers fighting over the pool lock, so an unbound
 * pool is concurrency managed too, aiming at one running worker per CPU of its pod
 * ({@link #concurrency}). (An unbound workqueue has one pool per pod of its affinity scope.)
 * Either kind aims at one more while the sampler finds its workers blocked ({@link #aim}).
 * Blocked and CPU-intensive items stop counting exactly as above, so the workqueue's
 * max_active stays the only limit on items that block or run long.
 *
 * <p><b>Workers.</b> Created on demand. A worker that leaves idle to process work while no
 * other worker is idle first creates one ({@code may_start_working} / {@code manage_workers}),
 * so a pool with work always has a spare ready to take over when the running one blocks. Only
 * one worker manages at a time. Idle workers wait on their own permit, most recently idle
 * first; a worker is placed (pinned to the pool's CPU or strict pod, priority raised for a
 * high-priority pool) as it starts ({@link WorkerPlacement}). Surplus idle workers (more than
 * two idle and (idle - 2) * {@link #MAX_IDLE_WORKERS_RATIO} &gt;= busy) retire after
 * {@code jwq.idleTimeout}, the longest idle first ({@code idle_cull_fn}, on the shared timer).
 *
 * <p><b>When no worker can be created</b> ({@code jwq.maxWorkers} reached, or {@code
 * OutOfMemoryError: unable to create native thread}): the pool stays consistent, no attempt is
 * made for {@code jwq.createCooldown}, and while it stays starved its mayday timer retries and,
 * after {@code jwq.maydayInitialTimeout} and then every {@code jwq.maydayInterval}, sends each
 * MEM_RECLAIM workqueue with items on the worklist to its {@link Rescuer}
 * ({@code pool_mayday_timeout}). Unlike Linux's manager, which waits out the cooldown, the
 * worker that failed to create a spare goes on processing work itself.
 *
 * <p><b>Watchdog.</b> {@link Watchdog} reports a pool that has had pending work and finished
 * nothing for {@code jwq.watchdogThreshold}, once per stall, with a {@link PoolDump}.
 *
 * <p><b>Non-reentrancy.</b> An item that is already running on a worker of this pool when
 * another worker picks it up is moved to that worker's {@code scheduled} list and runs after
 * the current instance, on the same worker ({@code move_linked_works}).
 *
 * <p><b>Robustness.</b> A failed thread creation undoes its bookkeeping and is reported once;
 * the pool keeps working with the workers it has (see above for what comes next).
 *
 * <p>Tags (the package legend): I, L ({@link #lock}), V, H, X; methods marked L require the lock,
 * asserted.
 */
final class WorkerPool {
    /* Field updaters, not VarHandles: see "Field updaters" in package-info.java. */
    private static final AtomicReferenceFieldUpdater<WorkerPool, PoolWorkqueue> ANNOUNCED =
            AtomicReferenceFieldUpdater.newUpdater(WorkerPool.class, PoolWorkqueue.class, "announced");
    private static final AtomicIntegerFieldUpdater<PoolWorkqueue> ANNOUNCED_FLAG =
            AtomicIntegerFieldUpdater.newUpdater(PoolWorkqueue.class, "announced");
    private static final AtomicIntegerFieldUpdater<WorkerPool> NR_RUNNING =
            AtomicIntegerFieldUpdater.newUpdater(WorkerPool.class, "nrRunning");
    private static final AtomicIntegerFieldUpdater<WorkerPool> WATCHED = AtomicIntegerFieldUpdater.newUpdater(WorkerPool.class, "watched");
    private static final AtomicReferenceFieldUpdater<WorkerPool, Work> RELEASED =
            AtomicReferenceFieldUpdater.newUpdater(WorkerPool.class, Work.class, "released");
    private static final AtomicReferenceFieldUpdater<WorkerPool, TimerInsert> TIMER_INSERTS =
            AtomicReferenceFieldUpdater.newUpdater(WorkerPool.class, TimerInsert.class, "timerInserts");

    private static final System.Logger LOG = Log.LOG;

    final int id;                                   // I
    /** The CPU this pool is bound to, or -1 for an unbound pool. */
    final int cpu;                                  // I
    final boolean highPri;                          // I
    /** An unbound pool's pod: the CPUs its work comes from (do not modify), or null for a bound pool. */
    final BitSet cpus;                              // I
    /** An unbound pool's workers are confined to {@link #cpus} (strict affinity scope). */
    final boolean strict;                           // I
    /** Where an unbound pool's workers may run (do not modify): its pod if strict, else its workqueues' CPUs; null if bound. */
    final BitSet allowed;                           // I
    /** Running workers a pool aims at: 1 for a CPU's pool, the CPUs of its pod for an unbound one. */
    final int concurrency;                          // I
    /**
     * L writes (the monitor), racy reads elsewhere: running workers the pool aims at now:
     * {@link #concurrency}, or one more while the sampler finds its workers blocked
     * ({@link #blockSampled}). A stale read only starts a worker early or leaves work to the
     * next lock holder: any aim counts a pool with none running as under-used.
     */
    int aim;
    /** L: when a sample last found one of this pool's workers blocked ({@link #blockSampled}). */
    private long blockSampledAt;
    /** Worker names: {@code jwq/<prefix><id><suffix>}, e.g. {@code jwq/3:1}, {@code jwq/3:0H}, {@code jwq/u8:2}. */
    private final String namePrefix, nameSuffix;    // I

    /**
     * The pool lock ({@code pool->lock}): the engine takes it with {@link #lock()} and releases it
     * with {@link #unlock()}; tests hold the raw lock to force interleavings.
     */
    final PoolLock lock = new PoolLock();
    /**
     * V: pwqs with items to activate, announced by queuers that saw room under their max_active,
     * newest first: whoever takes the lock activates their items ({@link #activateAnnounced}).
     * Linked through {@link PoolWorkqueue#announcedNext}.
     */
    private volatile PoolWorkqueue announced;
    /**
     * V: items that workers held back and let go without the pool lock (they blocked, or hog),
     * newest first, linked through {@link Work#pendingNext}: the next lock holder puts each first
     * among its pwq's waiting items ({@link #takeReleased}).
     */
    private volatile Work released;
    /**
     * V: delayed items whose timer expired while the lock was busy, for a pwq that queues under
     * the lock ({@link #insertFromTimer}), newest first: the next lock holder inserts them
     * ({@link #takeTimerInserts}).
     */
    private volatile TimerInsert timerInserts;
    /** V: a queuer saw no running worker and asked the next lock holder to look ({@link #requestKick}). */
    private volatile boolean kickRequested;
    /**
     * L, H (volatile for queuers' reads): the idle worker woken (or created) for pending work,
     * until it leaves the idle list. Work that arrives meanwhile needs no other kick: that
     * worker activates announced work when it takes the lock, and the next worker is woken as it
     * starts its item, as Linux chains its wake-ups.
     */
    private volatile Worker waking;
    final WorkList worklist = new WorkList();       // L: active items waiting for a worker
    /**
     * L: the lock holder is a worker whose item just ended and that takes its next item under
     * this lock ({@link #lockToTakeNext}): it counts in nrRunning but covers no ready item, so
     * activation may give it one ({@link #enoughReady}). Cleared by {@link #unlock()}.
     */
    private boolean holderTakesNext;
    /** L: {@link #activateAnnounced} found more than one pwq announced: each activates up to its max_active. */
    private boolean activatingAll;
    private final ArrayDeque<Worker> idle = new ArrayDeque<>(); // L: idle workers, most recent first
    final List<Worker> workers = new ArrayList<>(); // L: every live worker
    private final BitSet workerIds = new BitSet();  // L: ids in use, lowest free reused (like an ida)
    /** V: workers counted as running ({@code nr_running}): CAS-decided changes from {@link #countRunning}; queuers read it racily. */
    volatile int nrRunning;
    private boolean managerActive;                  // L: a worker is creating another
    long completed;                                 // L, H: items finished, the watchdog's and dumps' progress mark (read racily: they compare snapshots)
    /** V: 1 while registered with the monitor; set by CAS ({@link #watch}), cleared by the monitor under L. */
    volatile int watched;
    int emptySamples;                               // L: monitor samples in a row with nothing waiting behind running workers
    int refcount;                                   // P: workqueues using this unbound pool
    private boolean creationFailureReported;        // L
    private long creationRetryAt;                   // L: nanoTime before which no creation is tried; 0 = last one succeeded
    private boolean dying;                          // L: no workqueue uses the pool; workers retire when idle
    long created, retired, creationFailures;        // L: worker lifecycle counts
    long rescued;                                   // L: items run by rescuers in this pool
    long watchdogMark, watchdogSince;               // L: Watchdog: `completed` at the last check, and since when unchanged
    boolean watchdogPending;                        // L: Watchdog: work was pending at the last check
    boolean stallReported;                          // L: Watchdog: this stall was reported
    long stalls;                                    // L: stalls reported
    /**
     * T: Watchdog, for a lock it found busy: the thread that held it at every check since
     * {@code lockHeldSince}, when {@code completed} read {@code lockHeldMark}; null once the
     * watchdog had the lock again.
     */
    Thread lockHeldBy;
    long lockHeldSince, lockHeldMark;               // T
    boolean lockStallReported;                      // T: reported; counted in `stalls` once the watchdog has the lock again
    /** Retires surplus idle workers ({@code pool->idle_timer}); armed under L, or by its callback when L was busy. */
    private final Timer idleTimer = new Timer() {
        @Override
        protected void expire() {
            cullIdle();
        }
    };
    /**
     * Destroys an unbound pool that no workqueue took again while it lingered
     * ({@link Pools#LINGER_NANOS}); armed by the last reference's release, with the lock or
     * without it.
     */
    private final Timer lingerTimer = new Timer() {
        @Override
        protected void expire() {
            if (tryLockOrRetry(this)) {
                destroyIfUnusedAndUnlock();
            }
        }
    };

    /**
     * L, released here: destroys this lingering pool unless a workqueue took it again
     * ({@link Pools#destroyIfUnused}), and reports it gone once the lock is let go.
     */
    void destroyIfUnusedAndUnlock() {
        boolean gone;
        try {
            gone = Pools.destroyIfUnused(this);
        } finally {
            unlock();
        }
        if (gone) {
            JmxExport.poolGone(this);
        }
    }
    /** Retries creation and sends maydays while the pool is starved ({@code pool->mayday_timer}); armed under L, or by its callback when L was busy. */
    private final Timer maydayTimer = new Timer() {
        @Override
        protected void expire() {
            maydayTimeout();
        }
    };
    /** V: blocking transitions recorded, by {@link BlockingSource} (which source caught what). */
    final AtomicLongArray sleeps = new AtomicLongArray(BlockingSource.values().length);
    /** L: idle workers woken or workers created because work needed one (wq_monitor's CMW). */
    long wakeups;

    /** A bound pool of {@code cpu}. */
    WorkerPool(int id, int cpu, boolean highPri) {
        this.id = id;
        this.cpu = cpu;
        this.highPri = highPri;
        this.cpus = null;
        this.allowed = null;
        this.strict = true;
        this.concurrency = 1;
        this.aim = 1;
        this.namePrefix = "jwq/" + cpu + ":";
        this.nameSuffix = highPri ? "H" : "";
    }

    /** An unbound pool for one pod of an affinity scope. */
    WorkerPool(int id, Pools.UnboundAttrs attrs) {
        this.id = id;
        this.cpu = -1;
        this.highPri = attrs.highPri();
        this.cpus = attrs.cpus();
        this.allowed = attrs.allowed();
        this.strict = attrs.strict();
        this.concurrency = Math.max(1, cpus.cardinality());
        this.aim = concurrency;
        this.namePrefix = "jwq/u" + id + ":";
        this.nameSuffix = highPri ? "H" : "";
    }

    /* --------------- The pool lock and the inbox --------------- */

    /**
     * Takes the pool lock and activates the items of announced pwqs, so that every item queued
     * with room under its max_active before the call is on the worklist for the holder.
     */
    void lock() {
        if (!lock.tryLock()) {
            acquireContended();
        }
        activateAnnounced();
    }

    /**
     * {@link #lock()} for a worker whose item just ended and that takes its next one under the
     * lock: activation counts it as wanting an item ({@link #enoughReady}).
     */
    void lockToTakeNext() {
        if (!lock.tryLock()) {
            acquireContended();
        }
        holderTakesNext = true;
        activateAnnounced();
    }

    /** L: the worker that took the lock with {@link #lockToTakeNext} takes no next item after all. */
    void takesNoNext() {
        holderTakesNext = false;
    }

    /**
     * L: whether {@code pwq}, waiting alone in an unbound pool, keeps its waiting items where
     * they are, announced ({@link #deferActivation}), although it has room under max_active:
     * the worklist already holds an item for every CPU the pool aims at that no running worker
     * covers, and a worker that wants one takes it from the pwq.
     *
     * <p>Why (a departure from Linux, which moves every item under max_active to the worklist at
     * once): the items beyond what the running workers take only wait there, and on the
     * worklist they are taken one at a time under the pool lock, where a pwq's waiting items are
     * handed from worker to worker without it ({@link Worker#passOn}). An unbound workqueue of
     * the default max_active (1024) fed a burst of tiny items ran at 420-550 ns an item on two
     * CPUs, one of max_active 2 at 170 (2026-12-05, session 24). Nothing starts later: a
     * worker that blocks or goes idle lowers nrRunning, and whoever sees that takes the lock
     * and activates ({@link #countRunning}, {@link #unlock()}); items of one pwq keep their
     * order. Deferring every pwq, not just one waiting alone, re-announced them all at every
     * lock and cost the flagship demo (16 rewritten executors on one pool) about 9% of its
     * throughput, for no pass without the lock (other pwqs waiting forbid it).
     *
     * <p>The running workers must be running the pwq's own items ({@link #coveredByItsOwn}):
     * those hand their slots to its waiting items as they end. Workers kept busy by another
     * workqueue's items (a chain that queues its next step, run next on the same worker) never
     * come to the deferred items, and on the worklist those items would have had their turn
     * after a run-next quantum: kept off it, an ordered workqueue's items next to two endless
     * chains never ran (`MixedBenchmark`, session 25).
     */
    boolean enoughReady(PoolWorkqueue pwq) {
        // Unbound pools only: a CPU's pool runs one item at a time, so its worklist's order is
        // the order its items run in, which Linux's rule keeps. Only for a pwq that waits
        // alone: with other pwqs waiting no item is passed on without the lock anyway, and the
        // worklist's FIFO order is what makes busy workqueues take turns. Not while starved (a
        // worker could not be created): the mayday timer and the rescuers look for MEM_RECLAIM
        // items on the worklist, as in Linux.
        return cpu < 0 && !activatingAll && waitsAlone(pwq) && coveredByItsOwn(pwq) && creationRetryAt == 0;
    }

    /**
     * L: the worklist holds an item for every CPU aimed at that no running worker covers, and
     * {@code pwq} has items of its own active (running, or on the worklist): as each ends it
     * hands the pwq's next waiting item its slot, so its items keep running whatever the other
     * workers run (see {@link #enoughReady}). Requiring as many of its own as the CPUs aimed at
     * would send a burst's items back to the worklist whenever one worker is between items.
     */
    private boolean coveredByItsOwn(PoolWorkqueue pwq) {
        return pwq.nrActive > 0 && worklist.size() + nrRunning - (holderTakesNext ? 1 : 0) >= aim;
    }

    /** Whether no pwq but {@code pwq} is announced (racy: announcements only add). */
    private boolean waitsAlone(PoolWorkqueue pwq) {
        PoolWorkqueue a = announced;
        return a == null || a == pwq && pwq.announcedNext == null;
    }

    /**
     * L: the items waiting in this pool for a worker: those on the worklist and those that
     * announced pwqs keep off it ({@link #enoughReady}), for the watchdog's report.
     */
    int waitingItems() {
        int n = worklist.size();
        for (PoolWorkqueue pwq = announced; pwq != null; pwq = pwq.announcedNext) {
            n += pwq.nrWaiting();
        }
        return n;
    }

    /**
     * L: {@code pwq} has room under max_active and waiting items that {@link #enoughReady(PoolWorkqueue)} kept
     * off the worklist: it goes back on the announced list, for the next lock holder.
     */
    void deferActivation(PoolWorkqueue pwq) {
        pushAnnounced(pwq);
    }

    /** Spins for the pool lock before an unbound pool's holder would have to wake us: it holds it for well under a microsecond. */
    private static final int LOCK_SPINS = 100;

    /**
     * Takes a held pool lock. An unbound pool's workers run on different CPUs, so the holder
     * is running and about to let go: waiting a little costs less than being queued, parked
     * and unparked by its unlock (measured: the hand-over in AQS was most of the time of
     * ordered bursts). A bound pool's workers share one CPU, where spinning would only keep the
     * holder off it.
     */
    private void acquireContended() {
        if (cpu < 0) {
            for (int i = 0; i < LOCK_SPINS; i++) {
                Thread.onSpinWait();
                if (!lock.isLocked() && lock.tryLock()) {
                    return;
                }
            }
        }
        lock.lock();
    }

    /** {@link #lock()} if the lock is free now; false otherwise. */
    boolean tryLock() {
        if (!lock.tryLock()) {
            return false;
        }
        activateAnnounced();
        return true;
    }

    /**
     * Releases the pool lock. Before that, if pending work needs a worker, one is woken
     * ({@code kick_pool}); if it waits behind the workers counted as running instead, the
     * monitor watches for one of them blocking: every holder leaves the pool with its work
     * covered. After it, a kick a queuer asked for while the lock was held is served (see
     * {@link #requestKick}).
     *
     * <p>Not watched while work only waits for a worker being woken: one item at a time into an
     * idle pool (a paced submitter) then kept the monitor sampling every period, and its
     * wake-ups took the CPU from the woken workers: measured at 10,000 items/s from one spinning
     * thread (2 CPUs), p85 to p95 of submit-to-start latency 71-87 us against 47-52 us without
     * it. The woken worker, once it runs an item with others left behind it, releases the lock
     * here with them waiting, and the pool is watched from then on.
     */
    void unlock() {
        holderTakesNext = false;
        for (;;) {
            PoolWorkqueue a = announced;
            if (a != null && !enoughReady(a)) {
                // The rule that kept them waiting no longer holds (a worker stopped counting: it
                // blocked or went idle; the pwq has none of its own items active; others were
                // announced beside it): they are activated now (enoughReady, the same rule).
                activateAnnounced();
            }
            if (nrRunning < aim && worklist.isEmpty()) {
                // Under-used: items held back by running workers must not wait for them.
                releaseAllHeld();
            }
            if (needMoreWorker()) {
                kick();
            } else if (!worklist.isEmpty() || announced != null) {
                watch(); // waits behind running workers: one of them may be blocked
            }
            lock.unlock();
            // Dekker with requestKick(): it writes the flag, then tries the lock; we release,
            // then read the flag. Either its tryLock succeeds or we see the flag.
            if (!kickRequested || !lock.tryLock()) {
                return;
            }
            kickRequested = false;
            activateAnnounced();
        }
    }

    /** L: what waits and runs, in one line (see {@link PoolWorkqueue#describeState}). */
    String describeState() {
        StringBuilder sb = new StringBuilder("worklist ").append(worklist.size()).append(", running ")
                .append(nrRunning).append('/').append(aim).append(", announced ").append(announced != null)
                .append(", released ").append(released != null).append(", workers");
        for (Worker w : workers) {
            sb.append(' ').append(w.getName()).append(w.holds() ? "(holds)" : "");
        }
        return sb.toString();
    }

    /** Whether the calling thread holds the pool lock (for assertions). */
    boolean isLocked() {
        return lock.isHeldByCurrentThread();
    }

    /** Whether {@code t} waits for the pool lock (so it is between items, not blocked in one). */
    boolean hasQueuedThread(Thread t) {
        return lock.hasQueuedThread(t);
    }

    /**
     * Any thread, no lock: {@code pwq} has items that may be activated now; the next lock holder
     * activates them, and a worker is asked for if none runs ({@code kick_pool} without the pool
     * lock). Called by a queuer after it queued an item (see {@link PoolWorkqueue#enqueue}).
     */
    void announce(PoolWorkqueue pwq) {
        if (pwq.announced == 0 && !pushAnnounced(pwq)) {
            return;
        }
        // Dekker with a worker going idle: it stops counting in nrRunning, then reads the
        // announced list before it parks; we announce, then read nrRunning. One of us sees the
        // other. No kick while a woken worker is on its way: it activates what it finds (and
        // its unlock has the monitor watch if work is left behind it, see unlock()).
        if (nrRunning >= aim) {
            // Work waits behind running workers: the monitor watches for one of them blocking.
            watch();
        } else if (waking == null) {
            requestKick();
        }
    }

    /**
     * Any thread: puts {@code pwq} on the announced list unless it is there. One announcement
     * until the next activation: the flag is cleared by the lock holder before it looks at the
     * pwq's items, so an item queued after that look announces again. False if another thread
     * announced it first.
     */
    private boolean pushAnnounced(PoolWorkqueue pwq) {
        if (!ANNOUNCED_FLAG.compareAndSet(pwq, 0, 1)) {
            return false;
        }
        PoolWorkqueue head;
        do {
            head = announced;
            pwq.announcedNext = head;
        } while (!ANNOUNCED.compareAndSet(this, head, pwq));
        return true;
    }

    /** H: registered with the monitor (a racy read, for tests and looks). */
    boolean isWatched() {
        return watched != 0;
    }

    /** Any thread: registers the pool with the monitor unless it already is (one CAS, then a read). */
    void watch() {
        if (watched == 0 && WATCHED.compareAndSet(this, 0, 1)) {
            PoolMonitor.get().watch(this);
        }
    }

    /** H: nothing running, nothing on the worklist, nothing announced (racy reads: a hint for routing). */
    boolean looksIdle() {
        return nrRunning == 0 && nothingWaits();
    }

    /** H: nothing waits for a worker: an empty worklist and nothing announced, whatever runs (racy reads: a hint for routing). */
    boolean nothingWaits() {
        return worklist.isEmpty() && !hasAnnounced();
    }

    /**
     * H: {@link #nothingWaits()}, but for {@code pwq}'s own waiting items, announced alone: a
     * worker of that pwq may hand its slot on to them without the lock ({@link Worker#passOn}).
     */
    boolean nothingWaitsBut(PoolWorkqueue pwq) {
        return worklist.isEmpty() && released == null && timerInserts == null && waitsAlone(pwq);
    }

    /**
     * Whether announced pwqs, released items or a timer's insertions wait (a racy read: a
     * worker's last look before it parks).
     */
    boolean hasAnnounced() {
        return announced != null || released != null || timerInserts != null;
    }

    /**
     * A racy read: whether a worker that just went idle must take the lock again rather than
     * park: something was announced, released or inserted that no running worker covers. A
     * pwq's waiting items kept off the worklist while it covers the running workers
     * ({@link #enoughReady}) are not: whoever makes a worker stop counting kicks one
     * ({@link #countRunning}), and a queuer that finds fewer running than the pool aims at
     * asks for a kick ({@link #announce}).
     */
    boolean hasWorkForIdle() {
        return released != null || timerInserts != null
                || announced != null && worklist.size() + nrRunning < aim;
    }

    /**
     * Makes sure a lock holder looks at the pool's pending work: takes the lock if it is free
     * (its unlock kicks a worker if one is needed), otherwise leaves the request to the holder,
     * who reads it after releasing. Never waits for the lock: queuers and blocking hooks call it.
     */
    void requestKick() {
        kickRequested = true;
        if (lock.tryLock()) {
            kickRequested = false;
            activateAnnounced();
            unlock();
        }
    }

    /** L: activates the waiting items of every announced pwq, as far as their max_active allows. */
    void activateAnnounced() {
        if (timerInserts != null) {
            takeTimerInserts();
        }
        if (released != null) {
            takeReleased();
        }
        if (announced == null) {
            return;
        }
        PoolWorkqueue pwq = ANNOUNCED.getAndSet(this, null);
        activatingAll = pwq.announcedNext != null;
        try {
            while (pwq != null) {
                PoolWorkqueue next = pwq.announcedNext;
                pwq.announcedNext = null;
                // Clear before looking (Dekker with PoolWorkqueue.enqueue: it links its item, then
                // reads the flag when it announces).
                pwq.announced = 0;
                pwq.activate();
                pwq = next;
            }
        } finally {
            activatingAll = false;
        }
    }

    /**
     * Any thread, no lock: a worker let go of the item it held ({@link Worker#releaseHeld}); the
     * next lock holder puts it first among its pwq's waiting items, and a worker is asked for.
     */
    void release(Work w) {
        Work head;
        do {
            head = released;
            w.soPendingNext(head);
        } while (!RELEASED.compareAndSet(this, head, w));
        requestKick();
    }

    /** L: the released items go first among their pwqs' waiting items, and are activated if there is room. */
    private void takeReleased() {
        Work w = RELEASED.getAndSet(this, null);
        while (w != null) {
            Work next = w.lvPendingNext();
            w.soPendingNext(null);
            takeBackLend(w);
            w.pwq.addHeld(w);
            w.pwq.activate();
            w = next;
        }
    }

    /** L: a released item that may still carry its holder's lent unit gets one of its own before it can run ({@link Worker#takeBackLend}). */
    private void takeBackLend(Work w) {
        for (int i = 0, n = workers.size(); i < n; i++) {
            if (workers.get(i).takeBackLend(w)) {
                return;
            }
        }
    }

    /**
     * Any thread: queues an owned, counted item under the pool lock, for pwqs that may not
     * queue without it ({@link PoolWorkqueue#queuesWithoutLock}).
     */
    void insertLocked(PoolWorkqueue pwq, Work w, int requestedCpu, long counted) {
        lock();
        try {
            pwq.insert(w, requestedCpu, counted);
        } finally {
            unlock();
        }
    }

    /** An insertion the timer thread left to the lock holder ({@link #insertFromTimer}), and the one left before it. */
    private record TimerInsert(PoolWorkqueue pwq, Work w, int requestedCpu, long counted, TimerInsert next) {}

    /**
     * The timer thread: {@link #insertLocked} for a delayed item whose timer expired, without
     * waiting for the lock. If it is busy, the insertion is queued for the holder, who does it
     * when it lets the lock go (asked by {@link #requestKick}), or the next one to take it; those
     * already queued go first, so that items of one pwq keep the order their timers fired in.
     * The holder may be a virtual worker whose carrier another worker pins, which only the
     * carrier watch, a timer on this same thread, compensates. Meanwhile the item is counted in
     * flight and owned (PENDING) but on no list, as between a queuer's count and its insert: a
     * flush waits for it, a cancel retries until it is on its list.
     */
    void insertFromTimer(PoolWorkqueue pwq, Work w, int requestedCpu, long counted) {
        if (tryLock()) { // inserts any that waited first
            try {
                pwq.insert(w, requestedCpu, counted);
            } finally {
                unlock();
            }
            return;
        }
        TimerInsert head;
        do {
            head = timerInserts;
        } while (!TIMER_INSERTS.compareAndSet(this, head, new TimerInsert(pwq, w, requestedCpu, counted, head)));
        requestKick();
    }

    /** L: inserts what the timer thread left here, oldest first (the stack reversed). */
    private void takeTimerInserts() {
        TimerInsert oldestFirst = null;
        for (TimerInsert t = TIMER_INSERTS.getAndSet(this, null); t != null; t = t.next) {
            oldestFirst = new TimerInsert(t.pwq, t.w, t.requestedCpu, t.counted, oldestFirst);
        }
        for (TimerInsert t = oldestFirst; t != null; t = t.next) {
            t.pwq.insert(t.w, t.requestedCpu, t.counted);
        }
    }

    /**
     * L: items that running workers hold back ({@link Worker#holdChained}) join their pwqs'
     * waiting items and are activated as far as there is room: for a worker about to go idle,
     * and for a holder that sees the pool under-used. True if any went to the worklist.
     */
    boolean releaseAllHeld() {
        assert lock.isHeldByCurrentThread();
        boolean activated = false;
        for (int i = 0, n = workers.size(); i < n; i++) {
            Worker holder = workers.get(i);
            if (holder.holds()) {
                Work w = holder.takeHeld(null);
                if (w != null) {
                    w.pwq.activate();
                    activated |= w.list == worklist;
                }
            }
        }
        return activated;
    }

    /** L: takes {@code w} out of the hold of whichever worker of this pool holds it; false if none does. */
    boolean takeHeld(Work w) {
        assert lock.isHeldByCurrentThread();
        for (int i = 0, n = workers.size(); i < n; i++) {
            if (workers.get(i).takeHeld(w) != null) {
                return true;
            }
        }
        return false;
    }

    /* --------------- Concurrency management (L) --------------- */

    /**
     * L, the monitor: a sample found one of this pool's platform workers blocked. Such a block
     * is found a fraction of a sample period after it began, and until then its CPU idles
     * (Linux's {@code wq_worker_sleeping} fires at once; hooks, explicit calls and carriers
     * report at once too, and need none of this). While blocks are found that way, the pool aims
     * at one more running worker than its CPUs, so that a CPU whose worker blocks usually has
     * another item running already: on 1 ms CPU + 4 ms sleep items on two CPUs, a per-CPU
     * workqueue took 1.17-1.26 of the ideal wall time against 1.09-1.10, an unbound one
     * 1.17-1.20 against 1.10-1.16, for no more CPU per item (bench/README.md, session 38).
     * Linux's pools run several workers at once too, whenever one comes back from a block. Not
     * for CPU-bound work, which would only share the CPUs in turns: the aim falls back
     * {@link PoolMonitor#BLOCKING_WINDOW_NANOS} after the last block found ({@link #blockWindowEnds}).
     */
    void blockSampled(long now) {
        blockSampledAt = now;
        aim = concurrency + 1;
    }

    /**
     * L, the monitor: the pool aims at {@link #concurrency} again once no block was found for a
     * window. Written only when it changes: queuers read {@link #aim} on every item, and a store
     * per sample would take their line away each period.
     */
    void blockWindowEnds(long now) {
        if (aim != concurrency && now - blockSampledAt >= PoolMonitor.BLOCKING_WINDOW_NANOS) {
            aim = concurrency;
        }
    }

    /** L, the monitor: the pool aims at {@link #concurrency}, as it stops being watched (no sample would end a window). */
    void aimAtCpus() {
        aim = concurrency;
    }

    /** L: pending work and fewer workers running than the pool aims at ({@code need_more_worker}). */
    boolean needMoreWorker() {
        return !worklist.isEmpty() && nrRunning < aim;
    }

    /** L: a worker should take another item before going idle ({@code keep_working}). */
    boolean keepWorking() {
        return !worklist.isEmpty() && nrRunning <= aim;
    }

    /** L: puts an active item on the worklist; the holder's {@link #unlock()} wakes a worker if one is needed. */
    void enqueue(Work w) {
        assert lock.isHeldByCurrentThread();
        worklist.addLast(w);
    }

    /** Any thread (a volatile read): whether {@code w} is the idle worker a kick chose and is waiting for. */
    boolean isWaking(Worker w) {
        return waking == w;
    }

    /** L: wakes the first idle worker if work needs one ({@code kick_pool}). */
    void kick() {
        assert lock.isHeldByCurrentThread();
        if (!needMoreWorker() || waking != null) {
            return; // nothing to do, or a worker is already on its way
        }
        Worker w = idle.peekFirst();
        if (w != null) {
            // The worker takes itself off the idle list when it runs.
            waking = w;
            wakeups++;
            worklist.first().pwq.cmWakeups++; // PWQ_STAT_CM_WAKEUP goes to the first pending item's pwq
            LockSupport.unpark(w.thread);
        } else if (!managerActive) {
            // No spare: only at the first item, or after a failed creation.
            waking = createWorker();
        }
    }

    /**
     * Any thread: a worker's count in nrRunning changed by {@code delta} (a CAS on its state
     * word decided it, see {@link Worker}). A worker that stops counting outside the pool lock
     * (it blocked, or hogs) asks for a kick: pending work may need another worker now. Never
     * waits for the lock: carriers and hooks call this.
     */
    void countRunning(Worker w, int delta) {
        NR_RUNNING.getAndAdd(this, delta);
        if (delta < 0 && !lock.isHeldByCurrentThread()) {
            requestKick();
        }
    }

    /**
     * The carriers' news of a virtual worker ({@link CarrierListener}): its continuation returned
     * while it ran an item, so it blocked ({@code wq_worker_sleeping}); or it was submitted again
     * ({@code wq_worker_running}). An idle worker parking, or one between items (waiting for the
     * pool lock in jwq's own code), is not an item blocking: ignored, as Linux ignores workers
     * marked NOT_RUNNING.
     */
    private final CarrierListener<Worker> carrierListener = new CarrierListener<>() {
        @Override
        public void sleeping(Worker w) {
            // inItem was written by the continuation that just returned, on this very thread.
            if (w.inItem) {
                w.sleep(BlockingSource.CARRIER);
            }
        }

        @Override
        public void running(Worker w) {
            w.wake(BlockingSource.CARRIER);
        }
    };

    /**
     * Any thread: a worker has run one item past the CPU-intensive threshold without blocking: it
     * stops counting, so the pool's other items get a worker ({@code wq_worker_tick}); a virtual
     * worker's carrier is compensated, so the other workers of its CPU get a thread.
     */
    boolean workerCpuIntensive(Worker w) {
        if (!w.hog()) {
            return false;
        }
        if (w.carried != null) {
            w.carried.compensate();
        }
        return true;
    }

    /* --------------- Worker lifecycle (L) --------------- */

    /** Surplus idle workers: more than 2 idle and (idle - 2) * this >= busy ({@code MAX_IDLE_WORKERS_RATIO}). */
    static final int MAX_IDLE_WORKERS_RATIO = 4;
    /** {@code jwq.maxWorkers}: cap on pool workers in the process (rescuers aside), 0 for none. */
    static final int MAX_WORKERS = Settings.CURRENT.maxWorkers();
    /** {@code jwq.idleTimeout} ({@code IDLE_WORKER_TIMEOUT}). */
    static final long IDLE_TIMEOUT_NANOS = Settings.CURRENT.idleTimeoutNanos();
    /** {@code jwq.createCooldown} ({@code CREATE_COOLDOWN}): no new attempt this soon after a failure. */
    static final long CREATE_COOLDOWN_NANOS = Settings.CURRENT.createCooldownNanos();
    /** {@code jwq.maydayInitialTimeout} / {@code jwq.maydayInterval} ({@code MAYDAY_INITIAL_TIMEOUT}, {@code MAYDAY_INTERVAL}). */
    static final long MAYDAY_INITIAL_NANOS = Settings.CURRENT.maydayInitialNanos();
    static final long MAYDAY_INTERVAL_NANOS = Settings.CURRENT.maydayIntervalNanos();
    /**
     * How soon a timer callback that found the pool lock busy comes back: a tick of the wheel.
     * The timer thread never waits for a pool lock: the holder may be a virtual worker whose
     * carrier is pinned by another, and only the carrier watch, on that same thread, compensates.
     */
    static final long BUSY_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** L, H: this pool's carriers, created with its first virtual worker; null until then, and for platform workers. */
    private CarrierGroup<Worker> carrierGroup;

    /** L: the pool's carriers: one for a bound pool's CPU, one per CPU of an unbound pool's pod. */
    private CarrierGroup<Worker> carriers() {
        assert lock.isHeldByCurrentThread();
        if (carrierGroup == null) {
            // A carrier is a CPU: an unbound pool has one per CPU its workers may use (its pod if
            // strict, else its workqueues' CPUs), confined where its platform workers would be
            // (WorkerPlacement.pinTo), not each to one CPU: see CarrierGroup.unbound.
            carrierGroup = cpu >= 0 ? CarrierGroup.bound(cpu, highPri, carrierListener)
                    : CarrierGroup.unbound(id, strict ? cpus : allowed, highPri,
                            Settings.CURRENT.pin() ? WorkerPlacement.pinTo(this) : null, carrierListener);
        }
        return carrierGroup;
    }

    /** The pool's carriers, or null (a snapshot, for dumps and statistics). */
    CarrierGroup<Worker> carrierGroup() {
        return carrierGroup;
    }

    /** Pool workers alive in the process, counted against {@link #MAX_WORKERS}. */
    private static final AtomicInteger LIVE_WORKERS = new AtomicInteger(); // V

    boolean hasIdle() {
        return !idle.isEmpty();
    }

    int nrIdle() {
        return idle.size();
    }

    /** L: work needs a worker and none is idle to take it ({@code need_to_create_worker}). */
    boolean needToCreateWorker() {
        return needMoreWorker() && idle.isEmpty();
    }

    /** L: more idle workers than the pool may keep ({@code too_many_workers}). */
    private boolean tooManyWorkers() {
        int nrIdle = idle.size() + (managerActive ? 1 : 0);
        int nrBusy = workers.size() - nrIdle;
        return nrIdle > 2 && (nrIdle - 2) * MAX_IDLE_WORKERS_RATIO >= nrBusy;
    }

    /** L: {@code worker_enter_idle}: most recent first; arms the cull timer when there are too many. */
    void enterIdle(Worker w) {
        assert lock.isHeldByCurrentThread() && !w.idle;
        w.idle = true;
        w.lastActive = System.nanoTime();
        idle.addFirst(w);
        if (tooManyWorkers()) {
            TimerWheel.shared().arm(idleTimer, IDLE_TIMEOUT_NANOS); // no-op when already armed
        }
    }

    void leaveIdle(Worker w) {
        assert lock.isHeldByCurrentThread() && w.idle;
        w.idle = false;
        idle.remove(w);
        if (waking == w) {
            waking = null;
        }
    }

    /**
     * The timer thread's way to the lock: takes it if free, else arms {@code timer} again a tick
     * later ({@link #BUSY_RETRY_NANOS}; a no-op when armed meanwhile) and returns false.
     */
    private boolean tryLockOrRetry(Timer timer) {
        if (tryLock()) {
            return true;
        }
        TimerWheel.shared().arm(timer, BUSY_RETRY_NANOS);
        return false;
    }

    /**
     * Timer thread: retires surplus idle workers whose idle time has passed the timeout, oldest
     * first, and re-arms for the next one ({@code idle_cull_fn}). With the lock busy it tries
     * again a tick later ({@link #BUSY_RETRY_NANOS}), unless armed meanwhile (enterIdle): then
     * that expiry culls.
     */
    private void cullIdle() {
        if (!tryLockOrRetry(idleTimer)) {
            return;
        }
        try {
            while (tooManyWorkers()) {
                Worker oldest = idle.peekLast();
                long wait = oldest.lastActive + IDLE_TIMEOUT_NANOS - System.nanoTime();
                if (wait > 0) {
                    TimerWheel.shared().arm(idleTimer, wait);
                    break;
                }
                retire(oldest);
            }
        } finally {
            unlock();
        }
    }

    /** L: an idle worker leaves the pool; its thread ends when it wakes ({@code set_worker_dying}). */
    private void retire(Worker w) {
        leaveIdle(w);
        workers.remove(w);
        Tracepoints.workerRetired(id, w.getName(), workers.size());
        w.retired = true;
        LockSupport.unpark(w.thread);
    }

    boolean isDying() {
        return dying;
    }

    /** L: a worker of a dying pool that has finished its work leaves instead of going idle. */
    void retireBusy(Worker w) {
        assert lock.isHeldByCurrentThread() && !w.idle;
        workers.remove(w);
        Tracepoints.workerRetired(id, w.getName(), workers.size());
        w.retired = true;
    }

    /** L: a retired worker's thread ends: its id may be reused. */
    void workerExited(Worker w) {
        assert lock.isHeldByCurrentThread() && w.retired;
        workerIds.clear(w.id);
        LIVE_WORKERS.decrementAndGet();
        retired++;
    }

    /** Any thread: the last workqueue let this unbound pool go; it lingers, then is destroyed unless taken again (the deadline moves on each time). */
    void linger() {
        TimerWheel.shared().rearm(lingerTimer, Pools.LINGER_NANOS);
    }

    /** L: the pool is no longer used by any workqueue: every idle worker retires now, busy ones when idle. */
    void destroy() {
        assert lock.isHeldByCurrentThread();
        dying = true;
        while (!idle.isEmpty()) {
            retire(idle.peekLast());
        }
        if (carrierGroup != null) {
            carrierGroup.retire(); // after the unparks: the retired workers' last runs may still need a carrier
        }
    }

    /**
     * L: the calling worker creates a spare worker before it starts processing
     * ({@code manage_workers}). Only one worker manages at a time. Unlike Linux's manager, which
     * waits out the cooldown while creation fails, the caller goes on to process work itself.
     */
    void manage() {
        assert lock.isHeldByCurrentThread();
        if (managerActive) {
            return;
        }
        managerActive = true;
        try {
            createWorker();
        } finally {
            managerActive = false;
        }
    }

    /**
     * L: creates a worker that starts idle. The thread is started with the lock held: it is
     * rare (a spare per busy period) and keeps the new worker's registration atomic. Fails when
     * {@code jwq.maxWorkers} is reached or the JVM cannot start a thread; then the pool stays
     * consistent, no attempt is made for {@code jwq.createCooldown}, and the mayday timer sends
     * the pool's MEM_RECLAIM workqueues' rescuers if the pool stays starved.
     */
    private Worker createWorker() {
        assert lock.isHeldByCurrentThread();
        if (dying) {
            return null;
        }
        if (creationRetryAt != 0 && System.nanoTime() - creationRetryAt < 0) {
            // Cooling down after a failure: the mayday timer retries and calls the rescuers.
            armMayday();
            return null;
        }
        Throwable failure = null;
        Worker w = null;
        if (MAX_WORKERS > 0 && LIVE_WORKERS.incrementAndGet() > MAX_WORKERS) {
            LIVE_WORKERS.decrementAndGet();
            failure = new IllegalStateException("jwq.maxWorkers=" + MAX_WORKERS + " reached");
        } else {
            if (MAX_WORKERS <= 0) {
                LIVE_WORKERS.incrementAndGet();
            }
            int wid = workerIds.nextClearBit(0);
            String name = namePrefix + wid + nameSuffix;
            w = WorkerModel.VIRTUAL ? new Worker(this, wid, name, carriers()) : new Worker(this, wid, name);
            workerIds.set(wid);
            workers.add(w);
            enterIdle(w);
            try {
                w.start();
            } catch (Throwable t) {
                // OutOfMemoryError "unable to create native thread", or a thread cap: undo.
                leaveIdle(w);
                workers.remove(w);
                workerIds.clear(wid);
                LIVE_WORKERS.decrementAndGet();
                w = null;
                failure = t;
            }
        }
        if (w != null) {
            created++;
            creationRetryAt = 0;
            Tracepoints.workerCreated(id, w.getName(), workers.size());
            return w;
        }
        creationFailures++;
        Tracepoints.workerCreationFailed(id, workers.size(), failure);
        creationRetryAt = System.nanoTime() + CREATE_COOLDOWN_NANOS;
        if (creationRetryAt == 0) {
            creationRetryAt = 1; // 0 means "no failure"
        }
        // Starved: after the initial timeout, call the rescuers ({@code pool_mayday_timeout}).
        armMayday();
        if (!creationFailureReported) {
            creationFailureReported = true;
            LOG.log(System.Logger.Level.WARNING, "jwq: cannot create a worker for " + this + ": " + failure
                    + " (retrying every " + CREATE_COOLDOWN_NANOS / 1_000_000 + " ms; MEM_RECLAIM workqueues are rescued)");
        }
        return null;
    }

    /**
     * Arms the mayday timer (a no-op when armed) without queueing for the wheel's lock
     * ({@link TimerWheel#tryArm}, retried, as {@code CarrierWatch.watch} does): createWorker
     * runs on carriers too (a virtual worker reported sleeping asks for a kick, and the kick
     * creates), and a carrier queued behind a virtual worker it schedules (one arming delayed
     * work) waits for it forever; the carrier watch that would compensate runs on the wheel
     * thread, which takes that lock too and queues behind them.
     */
    private void armMayday() {
        TimerWheel wheel = TimerWheel.shared();
        for (int attempt = 0; !wheel.tryArm(maydayTimer, MAYDAY_INITIAL_NANOS); attempt++) {
            Backoff.pause(attempt);
        }
    }

    /**
     * Timer thread: while the pool needs a worker it cannot create, retries creation once the
     * cooldown has passed and sends a mayday for every MEM_RECLAIM workqueue with items on the
     * worklist, every {@code jwq.maydayInterval} ({@code pool_mayday_timeout}). With the lock
     * busy it tries again a tick later ({@link #BUSY_RETRY_NANOS}), unless armed meanwhile
     * (armMayday): then that expiry does.
     */
    private void maydayTimeout() {
        if (!tryLockOrRetry(maydayTimer)) {
            return;
        }
        try {
            if (!needToCreateWorker() || dying) {
                return;
            }
            if (System.nanoTime() - creationRetryAt >= 0 && !managerActive) {
                createWorker(); // on failure it re-arms this timer, which is about to be re-armed anyway
            }
            if (!needToCreateWorker()) {
                return;
            }
            for (Work w = worklist.first(); w != null; w = w.next) {
                PoolWorkqueue pwq = w.pwq;
                if (pwq != null && pwq.wq.rescuer != null) {
                    pwq.wq.rescuer.mayday(pwq, w);
                }
            }
            TimerWheel.shared().rearm(maydayTimer, MAYDAY_INTERVAL_NANOS);
        } finally {
            unlock();
        }
    }

    /* --------------- What a workqueue asks of its pools (L) --------------- */

    /**
     * L: the pending items of {@code pwq} on this pool's lists, in queueing order per list: the
     * worklist, then the waiting items (moved off the lock-free queue first), then workers'
     * scheduled lists. One walk for shutdownNow and for the agent's view of pending work.
     */
    List<Work> pendingOf(PoolWorkqueue pwq) {
        assert lock.isHeldByCurrentThread();
        List<Work> out = new ArrayList<>();
        for (Worker holder : workers) {
            Work h = holder.takeHeld(null); // onto the waiting items of its pwq, collected below
            if (h != null && h.pwq != pwq) {
                h.pwq.activate(); // another pwq's: it waits as it would have, activated if there is room
            }
        }
        collect(pwq, worklist, out);
        pwq.spillPending();
        collect(pwq, pwq.inactive, out);
        for (Worker w : workers) {
            collect(pwq, w.scheduled, out);
        }
        return out;
    }

    private static void collect(PoolWorkqueue pwq, WorkList list, List<Work> out) {
        for (Work w = list.first(); w != null; w = w.next) {
            if (w.pwq == pwq) {
                out.add(w);
            }
        }
    }

    /**
     * L: takes every pending item of {@code pwq} off this pool's lists, collecting their
     * functions ({@code shutdownNow}).
     */
    void takePending(PoolWorkqueue pwq, List<Runnable> out) {
        for (Work w : pendingOf(pwq)) {
            pwq.removePending(w);
            w.abortQueue();
            out.add(w.fn);
        }
    }

    /**
     * L: the workers running an item of {@code pwq} (a worker's {@code currentPwq} is set from
     * its item's start to its end; in a streak of passes, to the pwq of every item of it).
     */
    int countRunning(PoolWorkqueue pwq) {
        assert lock.isHeldByCurrentThread();
        int n = 0;
        for (Worker w : workers) {
            if (w.currentPwq == pwq) {
                n++;
            }
        }
        return n;
    }

    /**
     * L: the items of {@code pwq} queued and not finished: its count in flight, less the units
     * its running workers owe for items they passed their slots on from ({@link Worker#passOn})
     * and plus the items that share a running item's unit, lent ({@link Worker#mayLendTo}).
     * Read racily: exact while its workers run no pass or chain at that instant.
     */
    int countInFlight(PoolWorkqueue pwq) {
        assert lock.isHeldByCurrentThread();
        int n = pwq.nrInFlightTotal();
        for (Worker w : workers) {
            if (w.currentPwq == pwq) {
                n -= w.unitsOwedLessLent();
            }
        }
        return n;
    }

    /**
     * L: the items of {@code pwq} that finished: its counter, and the items its running workers
     * passed on without the lock since their last end under it (each pass ended one item:
     * {@link Worker#passesSinceLock}; a streak of passes stays on one pwq). Read racily: a pass
     * counts as it happens, so the sum may miss an item ending at that instant.
     */
    long countCompleted(PoolWorkqueue pwq) {
        assert lock.isHeldByCurrentThread();
        long n = pwq.completed;
        for (Worker w : workers) {
            if (w.currentPwq == pwq) {
                n += w.passesSinceLock();
            }
        }
        return n;
    }

    /**
     * L: interrupts the workers running an item of {@code pwq}; under the lock, while the item
     * is current, so the interrupt lands on that item (see {@link Worker#processOneWork}).
     */
    void interruptRunning(PoolWorkqueue pwq) {
        assert lock.isHeldByCurrentThread();
        for (Worker w : workers) {
            if (w.currentPwq == pwq) {
                w.thread.interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return cpu >= 0 ? "pool " + id + " (cpu " + cpu + (highPri ? ", highpri)" : ")")
                : "unbound pool " + id + " (cpus " + dev.jwq.cpu.CpuLists.format(cpus) + (strict ? ", strict" : "") + (highPri ? ", highpri)" : ")");
    }
}
