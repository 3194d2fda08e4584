package dev.jwq;

import dev.jwq.jfr.Tracepoints;

import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * The rescuer of a MEM_RECLAIM workqueue ({@code rescuer_thread}), thread {@code jwq/R-<name>}.
 * It is created with the workqueue, so it exists before any pool can starve. When a pool that
 * holds the workqueue's items cannot create a worker, the pool's mayday timer sends the
 * workqueue's PoolWorkqueue here ({@code send_mayday}); the rescuer attaches to that pool, runs
 * up to {@link #RESCUER_BATCH} of the workqueue's items from the pool's worklist (as a worker of
 * that pool: non-reentrancy and flushing hold), and asks again if the pool is still starved.
 * So a MEM_RECLAIM workqueue makes progress even when no worker can be created; other
 * workqueues in the starved pool wait for the pool.
 *
 * <p>Tags (the package legend): I; Q (this rescuer's monitor, a leaf taken under a pool lock by
 * {@link #mayday}).
 */
final class Rescuer extends Worker {
    /** Items run for one pool before moving on to the next mayday ({@code RESCUER_BATCH}). */
    static final int RESCUER_BATCH = 16;

    private final ArrayDeque<PoolWorkqueue> maydays = new ArrayDeque<>(); // Q: pwqs asking for rescue
    private boolean stopping;                                             // Q

    Rescuer(Workqueue wq) {
        super(null, 0, "jwq/R-" + wq.name(), wq.flags().contains(WqFlag.HIGHPRI), true);
    }

    /** Any thread holding {@code pwq.pool.lock}: asks for {@code pwq} to be rescued ({@code send_mayday}). */
    void mayday(PoolWorkqueue pwq, Work trigger) {
        synchronized (this) {
            if (pwq.mayday || stopping) {
                return;
            }
            pwq.mayday = true;
            pwq.maydays++; // under the pool lock too (the caller's)
            maydays.addLast(pwq);
        }
        Tracepoints.mayday(pwq.wq.name(), pwq.pool.id, TaskFunction.of(trigger.fn));
        LockSupport.unpark(thread);
    }

    /** Ends the thread once the maydays already sent are served (the workqueue has terminated). */
    void retire() {
        synchronized (this) {
            stopping = true;
        }
        LockSupport.unpark(thread);
    }

    private synchronized PoolWorkqueue nextMayday() {
        return maydays.pollFirst();
    }

    private synchronized boolean isStopping() {
        return stopping;
    }

    @Override
    public void run() {
        for (;;) {
            PoolWorkqueue pwq = nextMayday();
            if (pwq == null) {
                if (isStopping()) {
                    return;
                }
                Thread.interrupted(); // a stray interrupt must not turn park() into a spin
                LockSupport.park(this);
                continue;
            }
            rescue(pwq);
        }
    }

    /** Runs up to RESCUER_BATCH of {@code pwq}'s items waiting on its pool's worklist. */
    private void rescue(PoolWorkqueue pwq) {
        WorkerPool p = pwq.pool;
        p.lock();
        try {
            synchronized (this) {
                pwq.mayday = false;
            }
            pool = p; // attach (worker_attach_to_pool)
            int n = 0;
            for (Work w = p.worklist.first(); w != null && n < RESCUER_BATCH; ) {
                Work next = w.next;
                if (w.pwq == pwq) {
                    // assign_work: this rescuer runs it, as a worker of the pool would
                    w.list.remove(w);
                    scheduled.addLast(w);
                    n++;
                }
                w = next;
            }
            while (!scheduled.isEmpty()) {
                processOneWork(scheduled.first());
            }
            p.rescued += n;
            pwq.rescued += n;
            // Still starved with more of this workqueue's items waiting: ask again.
            Tracepoints.rescue(pwq.wq.name(), p.id, n);
            Work more = firstItemOf(p, pwq);
            if (p.needToCreateWorker() && more != null) {
                mayday(pwq, more);
            }
            // Leave the pool to its workers; work may be waiting for one of them.
            p.kick();
        } finally {
            p.unlock();
        }
    }

    private static Work firstItemOf(WorkerPool p, PoolWorkqueue pwq) {
        for (Work w = p.worklist.first(); w != null; w = w.next) {
            if (w.pwq == pwq) {
                return w;
            }
        }
        return null;
    }
}
