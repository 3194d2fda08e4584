package dev.jwq;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one runtime thread, {@code jwq/monitor}, that watches bound pools whose work waits
 * behind a running worker, and samples those workers' {@link Thread.State}: a worker found
 * BLOCKED, WAITING or TIMED_WAITING while its pool made no progress since the last sample is
 * treated as sleeping ({@code wq_worker_sleeping}), so another worker takes the pending work;
 * found RUNNABLE again, it counts as running. This is the fallback source of blocking events;
 * explicit {@code Workqueues.blocking(...)} calls (and, later, the agent's hooks) are exact.
 *
 * <p>It runs only while some pool is watched: a pool is watched from the moment work waits
 * behind a running worker until its worklist empties, and the thread parks otherwise.
 *
 * <p>Legend: V: lock-free; M: confined to the monitor thread.
 */
final class PoolMonitor implements Runnable {
    /** How often watched pools are sampled: the longest a blocked worker holds back its pool. */
    static final long SAMPLE_PERIOD_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    /**
     * An item running this long without blocking stops counting toward concurrency
     * ({@code wq_cpu_intensive_thresh_us}, 10 ms); the engine makes it a setting.
     */
    static final long CPU_INTENSIVE_THRESHOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final class Holder {
        static final PoolMonitor INSTANCE = new PoolMonitor();
    }

    private final ConcurrentLinkedQueue<WorkerPool> newlyWatched = new ConcurrentLinkedQueue<>(); // V
    private final Map<WorkerPool, Long> watched = new IdentityHashMap<>(); // M: pool -> completed at last sample
    private final Thread thread;                                           // I

    static PoolMonitor get() {
        return Holder.INSTANCE;
    }

    private PoolMonitor() {
        thread = new Thread(null, this, "jwq/monitor", 0, false);
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks the monitor to watch {@code pool}; called with the pool's lock held. */
    void watch(WorkerPool pool) {
        newlyWatched.add(pool);
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        List<WorkerPool> done = new ArrayList<>();
        for (;;) {
            for (WorkerPool p; (p = newlyWatched.poll()) != null; ) {
                // Racy read of the progress mark (benign): a stale value only delays one sample.
                watched.putIfAbsent(p, p.completed);
            }
            if (watched.isEmpty()) {
                LockSupport.park(this);
                continue;
            }
            LockSupport.parkNanos(this, SAMPLE_PERIOD_NANOS);
            for (Map.Entry<WorkerPool, Long> e : watched.entrySet()) {
                WorkerPool p = e.getKey();
                p.lock.lock();
                try {
                    if (p.worklist.isEmpty()) {
                        p.watched = false;
                        done.add(p);
                        continue;
                    }
                    sample(p, p.completed == e.getValue());
                    e.setValue(p.completed);
                } catch (Throwable t) {
                    // Never let the monitor die: a pool it cannot sample is dropped and re-added
                    // on its next kick.
                    p.watched = false;
                    done.add(p);
                } finally {
                    p.lock.unlock();
                }
            }
            for (WorkerPool p : done) {
                watched.remove(p);
            }
            done.clear();
        }
    }

    /**
     * Pool lock held: reclassifies the pool's busy workers by their thread state. Blocking is
     * only believed when the pool made no progress since the last sample ({@code stalled}), so
     * that a brief wait inside an item that keeps the pool moving does not wake another worker.
     */
    private static void sample(WorkerPool p, boolean stalled) {
        assert p.lock.isHeldByCurrentThread();
        long now = System.nanoTime();
        for (int i = 0; i < p.workers.size(); i++) {
            Worker w = p.workers.get(i);
            if (w.currentWork == null) {
                continue;
            }
            Thread.State st = w.getState();
            // A worker parked on this pool's lock (which we hold) is between items, not blocked.
            boolean blocked = (st == Thread.State.BLOCKED || st == Thread.State.WAITING
                    || st == Thread.State.TIMED_WAITING) && !p.lock.hasQueuedThread(w);
            if (blocked && w.counted && stalled) {
                p.workerSleeping(w);
            } else if (!blocked && w.sleeping) {
                p.workerRunning(w);
            }
            // Racy read of itemSeq (benign: a stale value only delays the verdict by a sample).
            int seq = w.itemSeq;
            if (seq != w.monitorSeq) {
                w.monitorSeq = seq;
                w.monitorSince = now;
            } else if (!blocked && w.counted && now - w.monitorSince >= CPU_INTENSIVE_THRESHOLD_NANOS) {
                p.workerCpuIntensive(w);
            }
        }
    }
}
