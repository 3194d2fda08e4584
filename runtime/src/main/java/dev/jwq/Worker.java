package dev.jwq;

import dev.jwq.jfr.Tracepoints;
import dev.jwq.jfr.WorkExecution;
import dev.jwq.jfr.WorkerSleeping;

import java.util.concurrent.locks.LockSupport;

/**
 * A worker thread of one {@link WorkerPool} ({@code struct worker} and {@code worker_thread}).
 * Runs the pool's items one at a time; see the pool's overview for when it sleeps and wakes.
 *
 * <p>Legend: I: final; L: {@code pool.lock}; X: written by this thread under L, read by this
 * thread without it.
 */
class Worker extends Thread {
    /**
     * I for a pool's worker. A {@link Rescuer} moves between pools: it writes this under the lock
     * of the pool it attaches to, and only readers holding that lock compare it with that pool.
     */
    WorkerPool pool;
    final int id;                        // I
    final boolean rescuer;               // I: a Rescuer, which never counts toward nrRunning

    Work currentWork;                    // X: the item being run, or null
    /** L writes (before the item's runningOn, release); queuers read it racily to route an item to where it runs. */
    volatile PoolWorkqueue currentPwq;
    final WorkList scheduled = new WorkList(); // L: items handed over because they run here
    boolean idle;                        // L: on the pool's idle list
    long lastActive;                     // L: when it last went idle (nanoTime), for culling oldest first
    boolean retired;                     // L: left the pool; the thread ends when it wakes
    boolean counted;                     // L: counts in pool.nrRunning
    boolean sleeping;                    // L: known blocked; not counted meanwhile
    boolean cpuIntensive;                // L: running a CPU_INTENSIVE item, or one found hogging; not counted
    BlockingSource sleepSource;          // L: who reported the worker blocked, while sleeping
    WorkerSleeping sleepEvent;           // L: the begun WorkerSleeping event while sleeping, or null
    /** X: inside an item's function; blocking there is the item's, not jwq's own machinery's. */
    boolean inItem;
    /** X: recording a blocking transition; blocking inside it (on the pool lock) is ignored. */
    private boolean inTransition;
    int itemSeq;                         // X: items started, the monitor's mark of progress
    int monitorSeq;                      // M: itemSeq when the monitor last saw a new item here
    long monitorSince;                   // M: the worker's CPU time (or the clock) at the item's second sighting, or -1
    long monitorCpu;                     // M: the worker's CPU time at the last sample of this item, or -1
    /** Written once by this thread as it starts, read by the monitor: the kernel's syscall file of this thread, or null. */
    volatile java.nio.file.Path syscallFile;

    Worker(WorkerPool pool, int id, String name) {
        this(pool, id, name, pool.highPri, false);
    }

    Worker(WorkerPool pool, int id, String name, boolean highPri, boolean rescuer) {
        super(null, null, name, 0, false);
        this.pool = pool;
        this.id = id;
        this.rescuer = rescuer;
        setDaemon(true);
        if (highPri) {
            setPriority(Thread.MAX_PRIORITY);
        }
    }

    /**
     * Called by this worker inside an item: it is about to block ({@code wq_worker_sleeping}).
     * Returns whether it now counts as sleeping; if so, {@link #endBlocking} must follow.
     * Ignored outside an item's function and while a transition is being recorded, so that the
     * pool lock taken here (which may itself park) never recurses.
     *
     * <p>A hook ({@link BlockingSource#HOOK}) reports from inside the JDK's park, which may be the
     * park of this very thread's acquisition of a pool lock (an item queueing work, say): taking
     * a pool lock there would queue the thread behind itself. So a hook only retries the lock
     * for a bounded time, never queueing, and a park on the worker's own pool lock is not
     * blocking at all (the item waits microseconds for jwq, as the sampler also knows).
     */
    boolean beginBlocking(BlockingSource source) {
        if (!inItem || inTransition) {
            return false;
        }
        inTransition = true;
        WorkerPool p = pool;
        try {
            if (source == BlockingSource.HOOK) {
                if (p.hasQueuedThread(this) || !tryLockBriefly(p)) {
                    return false;
                }
            } else {
                p.lock();
            }
            try {
                return p.workerSleeping(this, source);
            } finally {
                p.unlock();
            }
        } finally {
            inTransition = false;
        }
    }

    /**
     * Called by this worker after {@link #beginBlocking} returned true ({@code wq_worker_running}).
     * For a hook, without ever waiting in the pool lock's queue (see beginBlocking): it retries
     * the lock, which the holder keeps for microseconds; should it never get it, the mark is
     * cleared when the item ends.
     */
    void endBlocking(BlockingSource source) {
        inTransition = true;
        WorkerPool p = pool;
        try {
            if (source == BlockingSource.HOOK) {
                if (!tryLockBriefly(p)) {
                    return;
                }
            } else {
                p.lock();
            }
            try {
                p.workerRunning(this);
            } finally {
                p.unlock();
            }
        } finally {
            inTransition = false;
        }
    }

    /** How often a hook retries the pool lock (held for microseconds) before giving up. */
    private static final int HOOK_LOCK_TRIES = 1 << 16;

    /**
     * Takes the pool lock without ever queueing for it, retrying a bounded number of times. It
     * spins only briefly and then yields: a bound pool's workers share one CPU, so the holder is
     * often a worker of the same pool that this thread's spinning keeps off that CPU (measured:
     * pure spinning cost 0.4 ms of CPU per 1 ms item under the agent's hooks).
     */
    private static boolean tryLockBriefly(WorkerPool p) {
        for (int tries = 0; !p.tryLock(); tries++) {
            if (tries == HOOK_LOCK_TRIES) {
                return false;
            }
            Backoff.pause(tries);
        }
        return true;
    }

    /** The item this worker runs; called by this worker only (Work.current()). */
    Work lvCurrentWork() {
        return currentWork;
    }

    @Override
    public void run() {
        WorkerPlacement.apply(this);
        syscallFile = KernelThreadState.syscallFileOfCurrentThread();
        WorkerPool p = pool;
        p.lock();
        try {
            for (;;) {
                if (retired) {
                    p.workerExited(this);
                    return;
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
                    p.setRunning(this);
                    do {
                        processOneWork(p.worklist.first());
                        while (!scheduled.isEmpty()) {
                            processOneWork(scheduled.first());
                        }
                    } while (p.keepWorking());
                    p.setNotRunning(this);
                }
                if (p.isDying()) {
                    p.retireBusy(this);
                    continue;
                }
                p.enterIdle(this);
                p.unlock();
                // Dekker with WorkerPool.announce: we stopped counting in nrRunning, then look for
                // announced pwqs; a queuer announces, then reads nrRunning. Never park on work.
                if (!p.hasAnnounced()) {
                    Thread.interrupted(); // a stray interrupt must not turn park() into a spin
                    LockSupport.park(p);
                }
                p.lock();
            }
        } finally {
            p.unlock();
        }
    }

    /**
     * L: runs one item ({@code process_one_work}); drops the lock around the function and
     * returns with it held.
     */
    final void processOneWork(Work w) {
        WorkerPool p = pool;
        assert p.isLocked();
        Worker running = w.lpRunningOn();
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
        currentWork = w;
        currentPwq = pwq;
        pwq.started++;
        itemSeq++;
        w.soRunningOn(this);
        w.soNoPwq(); // before PENDING clears: afterwards a new owner may link the item elsewhere
        w.setPoolAndClearPending(p.id);
        if (pwq.wq.cpuIntensive) {
            cpuIntensive = true;
            p.setNotRunning(this);
        }
        // More pending work gets another worker as the lock is dropped (WorkerPool.unlock:
        // chain execution for workers that do not count toward nrRunning).
        long stamp = w.queueStamp;
        p.unlock();
        // Sampled items only (1 in sampleOneIn while a recording runs): the event, and the CPU
        // time that the workqueue statistics scale up from them.
        WorkExecution event = Tracepoints.executeStart(stamp);
        long cpuBefore = event != null ? CpuClock.currentThread() : -1;
        long cpuUsed = 0;
        Throwable failure = null;
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
                Tracepoints.executeEnd(event, pwq.wq.name(), TaskFunction.of(w.fn), p.id, getName(), cpuIntensive, failure);
            }
            p.lock();
        }
        if (cpuUsed > 0) {
            pwq.cpuTimeNanos += cpuUsed * Tracepoints.sampleWeight();
        }
        // Interrupts aimed at this item (shutdownNow, Future.cancel) are sent under the lock
        // while it is current, so clearing here, under the lock, stops every one of them.
        Thread.interrupted();
        if (cpuIntensive) {
            cpuIntensive = false;
        }
        if (sleeping) {
            p.traceRunning(this); // the item ended while known blocked
            sleeping = false;
            sleepSource = null;
        }
        p.setRunning(this);
        w.soRunningOn(null);
        currentWork = null;
        currentPwq = null;
        p.completed++;
        pwq.completed++;
        int credit = w.doneCredit;
        w.doneCredit = 0;
        w.addDoneSeq(1 + credit);
        pwq.decNrInFlight(color, true);
    }
}
