package dev.jwq;

import dev.jwq.cpu.KernelFiles;
import dev.jwq.jfr.Tracepoints;
import java.io.File;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The one runtime thread, {@code jwq/monitor}, that watches pools with pending work and samples
 * their busy workers' {@link Thread.State}: a worker found BLOCKED, WAITING or TIMED_WAITING
 * (and not queued on its pool's lock) is treated as sleeping ({@code wq_worker_sleeping}), so
 * another worker takes the pending work; found RUNNABLE again, it counts as running. This is
 * the fallback source of blocking events, late by up to a sample period; explicit
 * {@code Workqueues.blocking(...)} calls and the agent's hooks are exact. It also
 * finds items that have used more CPU than the CPU-intensive threshold and stops counting
 * their workers ({@code wq_worker_tick}).
 *
 * <p>It runs only while some pool is watched: a pool is watched from the moment work waits in it
 * behind the workers counted as running (not while it only waits for a worker being woken:
 * {@code WorkerPool.unlock} says why) until its worklist has stayed empty for
 * {@link #UNWATCH_AFTER_EMPTY_SAMPLES} samples
 * (so that a pool whose worklist keeps emptying and filling, as a chain of items does, is not
 * registered again, and the monitor woken, for every item); the thread parks otherwise.
 *
 * <p>Legend: V: lock-free; M: confined to the monitor thread.
 */
final class PoolMonitor implements Runnable {
    /**
     * How often watched pools are sampled: the longest a blocked worker holds back its pool.
     * 500 us for platform workers, whose blocking without a hook only the samples find. 2 ms for
     * virtual workers on carriers, whose every unmounting block the carrier reports at once
     * ({@code wq_worker_sleeping}'s exact source): the samples find only pins, which
     * {@link CarrierWatch} compensates on its own 4 ms period as well, and CPU hogs, past a 10 ms
     * threshold; about the scheduler tick at which Linux's {@code wq_worker_tick} looks. Each
     * sample is a wake-up of this thread on CPUs the carriers keep busy: at 500 us, under the
     * blocking load (1 ms CPU + 4 ms sleep items, queued far ahead) it switched 1,300 times a
     * second (bench/README.md, 2026-12-05). Not 4 ms like the carrier watch: a pool counts a hog
     * after two samples of the same item, so at 4 ms the item behind a spinner started after a
     * median 20.7 ms of the spinner's CPU (session 28; ConcurrencyManagementTest's bound is 20).
     */
    static final long SAMPLE_PERIOD_NANOS = WorkerModel.VIRTUAL ? TimeUnit.MILLISECONDS.toNanos(2)
            : TimeUnit.MICROSECONDS.toNanos(500);
    /**
     * How often watched pools are sampled for {@link #BLOCKING_WINDOW_NANOS} after a sample found
     * a worker blocked (platform workers; virtual ones keep {@link #SAMPLE_PERIOD_NANOS}, their
     * blocks being reported by their carriers): where blocking is the sampler's to find, it is
     * found five times sooner. A bound pool's one CPU stays idle from its worker's block until
     * the sample that sees it: at 500 us, on 1 ms CPU + 4 ms sleep items, the next item's CPU
     * began a median 610-621 us after the last one's ended (the items' 1 ms fell into step with
     * the samples), and a per-CPU workqueue took 1.61-1.64x the ideal wall time; at 100 us,
     * 220 us and 1.22-1.25x (50 us: 1.19x, 200 us: 1.35x), for at most 2% more process CPU per
     * item (bench/README.md, session 36). What remains of the gap is mostly the wake-up of the
     * next worker on the idle CPU.
     */
    static final long BLOCKING_SAMPLE_PERIOD_NANOS = WorkerModel.VIRTUAL ? SAMPLE_PERIOD_NANOS
            : TimeUnit.MICROSECONDS.toNanos(100);
    /**
     * Rounds of the monitor's loop in one activation ({@link LongLoops}): 0.1-0.2 s at the
     * blocking period, about 2 s at the usual one; fewer than a worker's turns, since a round
     * costs microseconds, not nanoseconds, and a caught monitor samples in the interpreter.
     */
    private static final int ROUNDS_PER_ACTIVATION = 1024;
    /** How long after a sample's last blocked verdict the monitor keeps sampling at {@link #BLOCKING_SAMPLE_PERIOD_NANOS}. */
    static final long BLOCKING_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * An item that has used this much CPU without blocking stops counting toward concurrency
     * ({@code wq_cpu_intensive_thresh_us}; {@code jwq.cpuIntensiveThreshold}, default 10 ms, 0
     * off). CPU time, as Linux counts it, not wall time: an item that was only preempted is no hog.
     */
    static final long CPU_INTENSIVE_THRESHOLD_NANOS = Settings.CURRENT.cpuIntensiveNanos();
    /** {@code jwq.blockingSampler}: whether thread states are trusted to tell that a worker blocks. */
    static final boolean SAMPLE_BLOCKING = Settings.CURRENT.blockingSampler();
    /**
     * A RUNNABLE worker that used less CPU than this part of a sample period may wait in native
     * code; the kernel's thread state decides ({@link KernelThreadState}).
     */
    static final int NATIVE_WAIT_MAX_CPU_PART = 10;
    /**
     * Samples in a row with nothing waiting behind running workers before a pool is unwatched
     * (10 ms of them at SAMPLE_PERIOD_NANOS for platform workers, 2 ms at the blocking period).
     */
    static final int UNWATCH_AFTER_EMPTY_SAMPLES = 20;

    private static final class Holder {
        static final PoolMonitor INSTANCE = new PoolMonitor();
    }

    private final ConcurrentLinkedQueue<WorkerPool> newlyWatched = new ConcurrentLinkedQueue<>(); // V
    /**
     * M: the pools being sampled, each once. A list walked by index, not a set walked by an
     * iterator: the monitor passes 2,000 times a second while a pool is watched, and an
     * iterator (and the hogs' and the done list's) per pass was 2% of the heap a virtual-worker
     * process allocated under load (the flagship demo). Holds a few pools, so the membership
     * test is a short scan; pools are compared by identity.
     */
    private final ArrayList<WorkerPool> watched = new ArrayList<>();
    private volatile Thread thread;                                        // V: set once started
    /** An item found hogging the CPU, reported once the pool lock is released. */
    private record Hog(String workqueue, Class<?> function, int pool, String worker, long cpuNanos) {}

    private final List<Hog> hogs = new ArrayList<>();                      // M: found while sampling
    private volatile boolean sleeping;                                     // V: parked with nothing watched

    static PoolMonitor get() {
        return Holder.INSTANCE;
    }

    private PoolMonitor() {}

    /** V: the thread has been started (once); starting is retried while it fails. */
    private final AtomicBoolean started = new AtomicBoolean();

    /** Asks the monitor to watch {@code pool}; called with the pool's lock held. */
    void watch(WorkerPool pool) {
        newlyWatched.add(pool);
        if (!started.get()) {
            start();
            return;
        }
        // Sampling anyway, the monitor picks the pool up within a period: wake it only from
        // its indefinite park. (It re-checks newlyWatched after setting `sleeping`.)
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Starts the thread on first use. Should the JVM refuse a thread (OutOfMemoryError "unable
     * to create native thread", a thread cap), the pool goes on without blocking detection by
     * sampling (hooks and explicit calls still work), the failure is logged once, and the next
     * watch tries again: the monitor must never be what fails the caller's queueing.
     */
    private void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Thread t0 = new Thread(null, this, "jwq/monitor", 0, false);
        t0.setDaemon(true);
        thread = t0;
        try {
            t0.start();
        } catch (Throwable t) {
            started.set(false);
            WorkerPlacement.warnOnce("jwq: cannot start the jwq/monitor thread (blocking is not sampled until it starts): " + t);
        }
    }

    /** M: busy workers of the pool being sampled, copied under its lock and examined without it. */
    private Worker[] busy = new Worker[16];
    /** M: the item each of {@link #busy} ran when copied ({@code Worker.itemSeq}). */
    private int[] busySeq = new int[16];
    /** M: what the examination found for each of {@link #busy}. */
    private byte[] verdict = new byte[16];
    private static final byte NONE = 0, SLEEPS = 1, RUNS = 2, HOG = 3;
    /** M: CPU used by each hog, for its report. */
    private long[] hogNanos = new long[16];
    /** M: readers of the syscall files of workers' and carriers' threads, kept open (no allocation per read), closed once their thread has ended. */
    private final IdentityHashMap<Thread, KernelThreadState.Reader> syscallReaders = new IdentityHashMap<>();
    private int passes;                                                    // M
    /** M: when the samples last found a worker blocked (System.nanoTime()). */
    private long lastBlockedVerdictAt = System.nanoTime() - BLOCKING_WINDOW_NANOS;
    /** Tests only: what the monitor chose before a park. */
    interface ParkListener {
        /**
         * The {@code period} chosen, when the samples last found a worker blocked, and the
         * {@code park} ({@link #parkNanosFor}); both 0 when no pool is watched and the monitor
         * parks until one is (every round before it has ended).
         */
        void chosen(long period, long lastBlockedVerdictAt, long park);
    }

    /** Tests only: told before each park what was chosen. */
    static volatile ParkListener parkChosen;
    /** M: this thread's timer slack, read as it starts ({@link #parkNanosFor}). */
    private long timerSlack;
    /** M: the period of the pass under way ({@link #periodAfter}). */
    private long period = SAMPLE_PERIOD_NANOS;

    @Override
    public void run() {
        timerSlack = KernelFiles.timerSlackNanos();
        List<WorkerPool> done = new ArrayList<>();
        for (;;) {
            sampleRounds(done); // the loop in activations that return (LongLoops says why)
        }
    }

    /**
     * Rounds of the monitor's loop, at most {@link #ROUNDS_PER_ACTIVATION}: each waits for the
     * next pool to watch, or parks a period and samples every watched pool. {@code done}: an
     * empty list to reuse.
     */
    private void sampleRounds(List<WorkerPool> done) {
        for (int round = 0; round < ROUNDS_PER_ACTIVATION; round++) {
            for (WorkerPool p; (p = newlyWatched.poll()) != null; ) {
                if (indexOf(watched, p) < 0) {
                    watched.add(p);
                }
            }
            if (watched.isEmpty()) {
                ParkListener idleListener = parkChosen;
                if (idleListener != null) {
                    idleListener.chosen(0, lastBlockedVerdictAt, 0);
                }
                sleeping = true;
                if (newlyWatched.isEmpty()) { // Dekker with watch(): add, then read `sleeping`
                    LockSupport.park(this);
                }
                sleeping = false;
                continue;
            }
            period = periodAfter(System.nanoTime() - lastBlockedVerdictAt);
            long park = parkNanosFor(period, timerSlack);
            ParkListener listener = parkChosen;
            if (listener != null) {
                listener.chosen(period, lastBlockedVerdictAt, park);
            }
            LockSupport.parkNanos(this, park);
            for (int i = 0; i < watched.size(); i++) {
                WorkerPool p = watched.get(i);
                try {
                    if (!pass(p)) {
                        done.add(p);
                    }
                } catch (Throwable t) {
                    // Never let the monitor die: a pool it cannot sample is dropped and re-added
                    // on its next kick.
                    p.watched = 0;
                    done.add(p);
                }
            }
            for (int i = 0; i < done.size(); i++) {
                watched.remove(indexOf(watched, done.get(i)));
            }
            done.clear();
            // Reported (logged with back-off, and the event) with no pool lock held.
            for (int i = 0; i < hogs.size(); i++) {
                Hog h = hogs.get(i);
                Tracepoints.cpuIntensive(h.workqueue(), h.function(), h.pool(), h.worker(), h.cpuNanos(),
                        CPU_INTENSIVE_THRESHOLD_NANOS);
            }
            hogs.clear();
            if ((++passes & 1023) == 0) {
                closeReadersOfExitedWorkers();
            }
        }
    }

    /**
     * The period to sample at, {@code sinceBlocked} nanoseconds after the samples last found a
     * worker blocked: {@link #BLOCKING_SAMPLE_PERIOD_NANOS} within {@link #BLOCKING_WINDOW_NANOS},
     * else {@link #SAMPLE_PERIOD_NANOS}.
     */
    static long periodAfter(long sinceBlocked) {
        return sinceBlocked < BLOCKING_WINDOW_NANOS ? BLOCKING_SAMPLE_PERIOD_NANOS : SAMPLE_PERIOD_NANOS;
    }

    /**
     * How long to park to sample every {@code period}, for a thread of timer slack {@code slack}:
     * the period less the slack, at least half the period. The kernel may end a timed wait up
     * to its slack late, to batch wake-ups, and on this host it did: with the default 50 us a
     * 100 us park lasted 170-190 us (120-140 us at a slack of 1 ns). The sampler found blocked
     * workers that much later: on 1 ms CPU + 4 ms sleep items the next item's CPU began a median
     * 212-220 us after the last one's ended, 155-178 us with the slack taken off, and a per-CPU
     * workqueue on platform workers took 1.22-1.27 of the ideal wall time against 1.17-1.21, for
     * the same process CPU (bench/README.md, session 37). A slack of 1 ns for this thread
     * (prctl, through the native calls) did as well, but threads it starts (workers made in a
     * kick) would inherit it.
     */
    static long parkNanosFor(long period, long slack) {
        return period - Math.min(slack, period / 2);
    }

    /** Where {@code p} is in {@code pools} (by identity), or -1. */
    private static int indexOf(List<WorkerPool> pools, WorkerPool p) {
        for (int i = 0; i < pools.size(); i++) {
            if (pools.get(i) == p) {
                return i;
            }
        }
        return -1;
    }

    /**
     * One sample of {@code p}; false when it is no longer watched. The pool lock is only tried,
     * never waited for (a held lock means the pool is busy, not stuck: the next period looks
     * again), and held only to copy the busy workers and to apply verdicts: reading thread
     * states, CPU clocks and the kernel's syscall files happens without it.
     */
    private boolean pass(WorkerPool p) {
        if (!p.tryLock()) {
            return true;
        }
        int n = 0;
        try {
            // First, before this pass may stop watching: a verdict of the last pass that crossed
            // a worker holding an item back may have missed the item (Worker.holdChained).
            for (int i = 0; i < p.workers.size(); i++) {
                p.workers.get(i).letGoHeldIfUncounted();
            }
            // Nothing waits behind the workers counted as running: an empty worklist, or work
            // that a worker being woken will take (WorkerPool.unlock watches again if it is
            // left waiting behind them).
            // (Items a pwq keeps waiting while the worklist covers the running workers count:
            // WorkerPool.enoughReady.)
            p.blockWindowEnds(System.nanoTime()); // one more running worker only while blocks are found
            boolean emptyWorklist = p.nothingWaits();
            if (emptyWorklist || p.nrRunning < p.aim) {
                if (++p.emptySamples >= UNWATCH_AFTER_EMPTY_SAMPLES) {
                    p.aimAtCpus();
                    p.watched = 0;
                    // Dekker with WorkerPool.announce: it announces, then reads nrRunning and
                    // `watched`; we clear it, then look for announcements and nrRunning.
                    if (p.hasAnnounced() && p.nrRunning >= p.aim) {
                        p.watch();
                    }
                    return false;
                }
                if (emptyWorklist) {
                    return true;
                }
            } else {
                p.emptySamples = 0;
            }
            for (int i = 0; i < p.workers.size(); i++) {
                Worker w = p.workers.get(i);
                if (w.currentWork != null) {
                    ensureRoom(n + 1);
                    busy[n] = w;
                    busySeq[n] = w.itemSeq;
                    n++;
                }
            }
        } finally {
            p.unlock();
        }
        boolean any = false;
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            verdict[i] = examine(p, busy[i], busySeq[i], now, i);
            any |= verdict[i] != NONE;
            if (verdict[i] == SLEEPS) {
                lastBlockedVerdictAt = now;
            }
        }
        if (any && p.tryLock()) {
            try {
                for (int i = 0; i < n; i++) {
                    apply(p, busy[i], busySeq[i], verdict[i], hogNanos[i], now);
                }
            } finally {
                p.unlock();
            }
        }
        java.util.Arrays.fill(busy, 0, n, null);
        return true;
    }

    private void ensureRoom(int n) {
        if (n > busy.length) {
            int len = Math.max(n, busy.length * 2);
            busy = java.util.Arrays.copyOf(busy, len);
            busySeq = java.util.Arrays.copyOf(busySeq, len);
            verdict = java.util.Arrays.copyOf(verdict, len);
            hogNanos = java.util.Arrays.copyOf(hogNanos, len);
        }
    }

    /** The CPU time of {@code t} where the JVM measures it, else the wall clock. */
    private static long usedNanos(Thread t, long now) {
        long used = CpuClock.of(t);
        return used >= 0 ? used : now;
    }

    /**
     * No lock: classifies busy worker {@code w}, copied while running item number {@code seq},
     * by its thread state: found BLOCKED, WAITING or TIMED_WAITING inside an item's function
     * (and not queued on the pool lock) it sleeps; found running again after the sampler said
     * it slept, it runs; past the CPU-intensive threshold, it hogs. Its L fields are read
     * racily (benign: {@link #apply} checks them again under the lock, and only for the same
     * item).
     */
    private byte examine(WorkerPool p, Worker w, int seq, long now, int slot) {
        // The platform thread that runs the item: the worker's own, or for a virtual worker the
        // carrier it is mounted on. An unmounted virtual worker is parked (its carrier said so)
        // or waits for its CPU (it runs, as far as concurrency management goes): nothing to see.
        Thread t = w.thread;
        if (w.carried != null) {
            t = w.carried.mountedOn();
            if (t == null) {
                return NONE;
            }
        }
        Thread.State st = t.getState();
        // A worker waiting for the pool lock is between items (or in jwq's own code), not
        // blocked; a mounted virtual worker whose carrier waits is pinned there, blocked.
        boolean waiting = (st == Thread.State.BLOCKED || st == Thread.State.WAITING
                || st == Thread.State.TIMED_WAITING) && !p.hasQueuedThread(w.thread);
        boolean sameItem = seq == w.monitorSeq && t == w.monitorThread;
        if (!sameItem) {
            w.monitorSeq = seq;
            w.monitorThread = t;
            w.monitorSince = -1;
            w.monitorCpu = -1;
        }
        // A thread the JVM shows RUNNABLE may wait in native code (a socket read, accept,
        // poll). One that used almost no CPU since the last sample is asked about in the
        // kernel's view of it, which tells such a call from a thread waiting for a CPU or
        // held at a safepoint. CPU time is read from an item's first sighting on, for busy
        // workers only.
        // Only inside the item's function: a worker waiting in jwq's own code between items (a
        // pwq's consumer turn that a pass waits for, Worker.passOn) is not the item blocking, as
        // the carriers' news of a virtual worker ignores it (WorkerPool.carrierListener). Judged
        // asleep there, it had the pool aim one higher and wake a worker for nothing, 13-69
        // times a second beside a twin fixed pool's chains (bench/README.md, "Session 40").
        boolean inItem = w.inItem;
        boolean nativeWait = false;
        long used = -1;
        if (!waiting && CpuClock.othersSupported()) {
            used = usedNanos(t, now);
            if (inItem && w.monitorCpu >= 0 && used - w.monitorCpu < period / NATIVE_WAIT_MAX_CPU_PART) {
                nativeWait = readerOf(t).blockedInNativeCall(); // the kernel's view: only worth reading inside an item
            }
            w.monitorCpu = used;
        }
        boolean blocked = (waiting || nativeWait) && inItem;
        // Believed blocked at once, as Linux's wq_worker_sleeping() fires on every block:
        // waiting for a second sample, or for the pool to stall, left the CPU idle for most
        // of a sample period per blocking call (measured: 2.4x the ideal wall time on 1 ms
        // CPU + 4 ms sleep items, against 1.1x with explicit blocking). A brief wait caught
        // by chance only lets a second item start a little early.
        // A virtual worker whose carrier is found blocked is pinned there (a block it could
        // unmount from would have unmounted it: its carrier told the pool then), which no hook
        // or carrier callback reports: trusted whatever jwq.blockingSampler says. The worker then
        // stops counting, the pool wakes another, and that one, queued behind the pinned
        // carrier, gets it a compensating thread (CarrierWatch).
        boolean pinned = blocked && w.carried != null;
        if ((SAMPLE_BLOCKING || pinned) && blocked && w.counted()) {
            return SLEEPS;
        }
        if (!blocked && w.sleepSource() == BlockingSource.SAMPLER) {
            // Only the sampler's own verdicts are undone here: a hook or an explicit call
            // reports the end of its blocking itself (and may be recorded just before the
            // thread actually parks).
            return RUNS;
        }
        // CPU hogs: from an item's second sighting on (most items end within a period).
        if (sameItem && !blocked && w.counted() && CPU_INTENSIVE_THRESHOLD_NANOS > 0 && used >= 0) {
            if (w.monitorSince < 0) {
                w.monitorSince = used;
            } else if (used - w.monitorSince >= CPU_INTENSIVE_THRESHOLD_NANOS) {
                hogNanos[slot] = used - w.monitorSince;
                return HOG;
            }
        }
        return NONE;
    }

    /** L: applies a verdict to {@code w} if it still runs the item it was examined in. */
    private void apply(WorkerPool p, Worker w, int seq, byte v, long cpuNanos, long now) {
        if (v == NONE || w.itemSeq != seq || w.currentWork == null) {
            return;
        }
        switch (v) {
            case SLEEPS -> {
                w.sleep(BlockingSource.SAMPLER);
                if (w.carried == null) {
                    p.blockSampled(now);
                }
            }
            case RUNS -> w.wake(BlockingSource.SAMPLER);
            case HOG -> {
                if (p.workerCpuIntensive(w)) {
                    PoolWorkqueue pwq = w.currentPwq;
                    if (pwq != null) {
                        pwq.cpuIntensive++;
                        if (p.cpu >= 0) { // reported for per-CPU pools only, as in Linux
                            hogs.add(new Hog(pwq.wq.name(), TaskFunction.of(w.currentWork.fn), p.id, w.getName(), cpuNanos));
                        }
                    }
                }
            }
            default -> throw new AssertionError(v);
        }
    }

    /** M: the open reader of {@code t}'s syscall file (a worker's or a carrier's thread). */
    private KernelThreadState.Reader readerOf(Thread t) {
        KernelThreadState.Reader r = syscallReaders.get(t);
        if (r == null) {
            File file = t instanceof Worker.WorkerThread wt ? wt.worker.syscallFile
                    : t instanceof CarrierThread c ? c.syscallFile : null;
            r = new KernelThreadState.Reader(file);
            syscallReaders.put(t, r);
        }
        return r;
    }

    private void closeReadersOfExitedWorkers() {
        syscallReaders.entrySet().removeIf(e -> {
            if (e.getKey().isAlive()) {
                return false;
            }
            e.getValue().close();
            return true;
        });
    }
}
