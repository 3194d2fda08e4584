package dev.jwq;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

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
 * has no scheduler callback, so "blocks" is learnt from {@code Workqueues.blocking(...)} and
 * from the {@link PoolMonitor} sampling worker thread states (the agent's hooks come later).
 * An item that computes past the CPU-intensive threshold stops counting, as in Linux 6.5+.
 *
 * <p>Unbound pools depart from Linux here, on purpose: Linux lets every pending item of an
 * unbound pool wake a worker and leaves the rest to the CPU scheduler. On the JVM that turns
 * a stream of short items into a herd of workers fighting over the pool lock, so an unbound
 * pool is concurrency managed too, aiming at one running worker per CPU it spans
 * ({@link #concurrency}). Blocked and CPU-intensive items stop counting exactly as above, so
 * the workqueue's max_active stays the only limit on items that block or run long.
 *
 * <p><b>Workers.</b> Created on demand. A worker that leaves idle to process work while no
 * other worker is idle first creates one ({@code may_start_working} / {@code manage_workers}),
 * so a pool with work always has a spare ready to take over when the running one blocks. Only
 * one worker manages at a time. Idle workers wait on their own permit, most recently idle
 * first. (Idle culling, the worker cap, rescuers and the watchdog slot in here with the engine.)
 *
 * <p><b>Non-reentrancy.</b> An item that is already running on a worker of this pool when
 * another worker picks it up is moved to that worker's {@code scheduled} list and runs after
 * the current instance, on the same worker ({@code move_linked_works}).
 *
 * <p><b>Robustness.</b> A failed thread creation (including {@code OutOfMemoryError: unable to
 * create native thread}) undoes its bookkeeping and is reported once; the pool keeps working
 * with the workers it has and tries again on the next kick.
 *
 * <p>Legend: I: final after construction; L: {@code lock}; R: written under L, read racily by
 * the monitor (benign: it only compares snapshots). Methods marked L require the lock, asserted.
 */
final class WorkerPool {
    private static final System.Logger LOG = System.getLogger("dev.jwq");

    final int id;                                   // I
    /** The CPU this pool is bound to, or -1 for an unbound pool. */
    final int cpu;                                  // I
    final boolean highPri;                          // I
    /** Running workers a pool aims at: 1 for a CPU's pool, the CPUs it spans for an unbound one. */
    final int concurrency;                          // I
    /** Worker names: {@code jwq/<prefix><id><suffix>}, e.g. {@code jwq/3:1}, {@code jwq/3:0H}, {@code jwq/u8:2}. */
    private final String namePrefix, nameSuffix;    // I

    final ReentrantLock lock = new ReentrantLock();
    final WorkList worklist = new WorkList();       // L: active items waiting for a worker
    private final ArrayDeque<Worker> idle = new ArrayDeque<>(); // L: idle workers, most recent first
    final List<Worker> workers = new ArrayList<>(); // L: every live worker
    private final BitSet workerIds = new BitSet();  // L: ids in use, lowest free reused (like an ida)
    int nrRunning;                                  // L: workers running and not blocked
    private boolean managerActive;                  // L: a worker is creating another
    long completed;                                 // R: items finished, the monitor's progress mark
    boolean watched;                                // L: registered with the monitor
    int emptySamples;                               // L: monitor samples since the worklist was last non-empty
    int refcount;                                   // Pools' lock: workqueues using this unbound pool
    private boolean creationFailureReported;        // L

    WorkerPool(int id, int cpu, boolean highPri) {
        this.id = id;
        this.cpu = cpu;
        this.highPri = highPri;
        this.concurrency = cpu >= 0 ? 1 : Cpus.count();
        this.namePrefix = cpu >= 0 ? "jwq/" + cpu + ":" : "jwq/u" + id + ":";
        this.nameSuffix = highPri ? "H" : "";
    }

    /* --------------- Concurrency management (L) --------------- */

    /** L: pending work and fewer workers running than the pool aims at ({@code need_more_worker}). */
    boolean needMoreWorker() {
        return !worklist.isEmpty() && nrRunning < concurrency;
    }

    /** L: a worker should take another item before going idle ({@code keep_working}). */
    boolean keepWorking() {
        return !worklist.isEmpty() && nrRunning <= concurrency;
    }

    /** L: puts an active item on the worklist and wakes a worker if one is needed. */
    void enqueue(Work w) {
        assert lock.isHeldByCurrentThread();
        worklist.addLast(w);
        kick();
    }

    /**
     * L: wakes the first idle worker if work needs one ({@code kick_pool}). While work is
     * pending, the monitor watches for the running worker blocking.
     */
    void kick() {
        assert lock.isHeldByCurrentThread();
        // Watch whenever work is pending, even when a worker is being woken for it: the woken
        // worker's first item may block with the rest queued behind it.
        if (!watched && !worklist.isEmpty()) {
            watched = true;
            PoolMonitor.get().watch(this);
        }
        if (!needMoreWorker()) {
            return;
        }
        Worker w = idle.peekFirst();
        if (w != null) {
            // The worker takes itself off the idle list when it runs; waking it twice is harmless.
            LockSupport.unpark(w);
        } else if (!managerActive) {
            // No spare: only at the first item, or after a failed creation.
            createWorker();
        }
    }

    /** L: the worker starts counting toward nrRunning. */
    void setRunning(Worker w) {
        assert lock.isHeldByCurrentThread();
        if (!w.counted && !w.sleeping && !w.cpuIntensive) {
            w.counted = true;
            nrRunning++;
        }
    }

    /** L: the worker stops counting toward nrRunning; work that was held back gets a worker. */
    void setNotRunning(Worker w) {
        assert lock.isHeldByCurrentThread();
        if (w.counted) {
            w.counted = false;
            nrRunning--;
            assert nrRunning >= 0;
            kick();
        }
    }

    /** L: a running worker blocked ({@code wq_worker_sleeping}). */
    void workerSleeping(Worker w) {
        assert lock.isHeldByCurrentThread();
        if (!w.sleeping) {
            w.sleeping = true;
            setNotRunning(w);
        }
    }

    /** L: a blocked worker runs again ({@code wq_worker_running}). */
    void workerRunning(Worker w) {
        assert lock.isHeldByCurrentThread();
        if (w.sleeping) {
            w.sleeping = false;
            if (w.currentWork != null) {
                setRunning(w);
            }
        }
    }

    /**
     * L: a worker has run one item past the CPU-intensive threshold without blocking: it stops
     * counting, so the pool's other items get a worker ({@code wq_worker_tick}).
     */
    void workerCpuIntensive(Worker w) {
        assert lock.isHeldByCurrentThread();
        if (!w.cpuIntensive) {
            w.cpuIntensive = true;
            setNotRunning(w);
        }
    }

    /* --------------- Idle and worker creation (L) --------------- */

    boolean hasIdle() {
        return !idle.isEmpty();
    }

    void enterIdle(Worker w) {
        assert lock.isHeldByCurrentThread() && !w.idle;
        w.idle = true;
        idle.addFirst(w);
    }

    void leaveIdle(Worker w) {
        assert lock.isHeldByCurrentThread() && w.idle;
        w.idle = false;
        idle.remove(w);
    }

    /**
     * L: the calling worker creates a spare worker before it starts processing
     * ({@code manage_workers}). Only one worker manages at a time.
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
     * rare (a spare per busy period) and keeps the new worker's registration atomic.
     */
    private Worker createWorker() {
        assert lock.isHeldByCurrentThread();
        int wid = workerIds.nextClearBit(0);
        Worker w = new Worker(this, wid, namePrefix + wid + nameSuffix);
        workerIds.set(wid);
        workers.add(w);
        enterIdle(w);
        try {
            w.start();
        } catch (Throwable t) {
            // OutOfMemoryError "unable to create native thread", or a thread cap: keep the pool
            // consistent and go on with the workers we have.
            leaveIdle(w);
            workers.remove(w);
            workerIds.clear(wid);
            if (!creationFailureReported) {
                creationFailureReported = true;
                LOG.log(System.Logger.Level.WARNING, "jwq: cannot create a worker for pool " + this + ": " + t);
            }
            return null;
        }
        return w;
    }

    @Override
    public String toString() {
        return cpu >= 0 ? "pool " + id + " (cpu " + cpu + (highPri ? ", highpri)" : ")") : "unbound pool " + id + (highPri ? " (highpri)" : "");
    }
}
