package dev.jwq;

import dev.jwq.jfr.Tracepoints;
import dev.jwq.timer.Timer;
import dev.jwq.timer.TimerWheel;

/**
 * The workqueue watchdog ({@code wq_watchdog_timer_fn}): every quarter of
 * {@code jwq.watchdogThreshold} it checks every pool, and a pool that has had pending work and
 * finished nothing for the threshold is reported once per stall, as Linux's
 * {@code BUG: workqueue lockup}, through {@link System.Logger} with a dump of every busy pool
 * ({@link PoolDump}). The stall ends, and may be reported again later, once the pool finishes an
 * item or its worklist empties.
 *
 * <p>It runs on the shared timer thread, which is cheap (a lock and two comparisons per pool per
 * period); the rare report is built there too. That thread never waits for a pool lock (see
 * {@link WorkerPool#BUSY_RETRY_NANOS}): a pool whose lock is busy is not checked that period,
 * and a busy pool in the report's dump is only named.
 *
 * <p><b>A lock held throughout.</b> Skipping a busy pool would never report the stall of a
 * pool whose lock one thread holds and does not give back (a holder deadlocked elsewhere, or
 * stuck): nothing runs there, and the check above never gets the lock. So a busy lock is a
 * check of its own: found busy at every check for the threshold, by the same thread, with no
 * item finished in the pool meanwhile, it is reported as a stall of the pool, with the
 * holder's name and stack. A merely busy lock does not qualify: its holders change, or items
 * finish between checks (holders keep it for well under a microsecond).
 *
 * <p>Legend: L: the pool's lock (the per-pool fields live in {@link WorkerPool}); T: the timer
 * thread (the held-lock fields); I: final.
 */
final class Watchdog extends Timer {
    /** {@code jwq.watchdogThreshold} ({@code wq_watchdog_thresh}); 0: off. */
    static final long THRESHOLD_NANOS = Settings.CURRENT.watchdogNanos();
    private static final System.Logger LOG = Log.LOG;

    private final long periodNanos; // I

    private Watchdog(long thresholdNanos) {
        this.periodNanos = Math.max(1_000_000, thresholdNanos / 4);
    }

    /** Starts the watchdog unless it is turned off; called once, when the pools are created. */
    static void start() {
        if (THRESHOLD_NANOS > 0) {
            Watchdog w = new Watchdog(THRESHOLD_NANOS);
            TimerWheel.shared().arm(w, w.periodNanos);
        }
    }

    @Override
    protected void expire() {
        try {
            long now = System.nanoTime();
            for (WorkerPool p : Pools.all()) {
                if (!p.tryLock()) {
                    checkHeldLock(p, now); // the pool itself is checked next period
                    continue;
                }
                long stalledFor;
                int pending;
                try {
                    lockFree(p);
                    stalledFor = check(p, now);
                    pending = p.waitingItems();
                } finally {
                    p.unlock();
                }
                if (stalledFor > 0) {
                    report(p, stalledFor, pending, "\n");
                }
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "jwq: watchdog check failed", t);
        } finally {
            TimerWheel.shared().arm(this, periodNanos);
        }
    }

    /** L: updates {@code p}'s stall state; returns how long it has been stalled if that is news, else 0. */
    private static long check(WorkerPool p, long now) {
        assert p.isLocked();
        // The clock starts at the first check that finds work pending, and restarts with
        // every finished item (Linux touches watchdog_ts when a worklist gets work).
        // Pending work: on the worklist, or kept waiting behind running workers (WorkerPool.enoughReady).
        boolean pending = !p.nothingWaits();
        if (!pending || p.completed != p.watchdogMark || !p.watchdogPending) {
            p.watchdogMark = p.completed;
            p.watchdogSince = now;
            p.watchdogPending = pending;
            p.stallReported = false;
            return 0;
        }
        long stalled = now - p.watchdogSince;
        if (stalled < THRESHOLD_NANOS || p.stallReported) {
            return 0;
        }
        p.stallReported = true;
        p.stalls++;
        return stalled;
    }

    /**
     * T, {@code p}'s lock found busy: reports it once if one thread has held it at every check
     * for the threshold while no item of the pool finished (see the overview).
     */
    private static void checkHeldLock(WorkerPool p, long now) {
        Thread owner = p.lock.owner();
        long mark = p.completed; // racy: compared as a snapshot
        if (owner == null || owner != p.lockHeldBy || mark != p.lockHeldMark) {
            p.lockHeldBy = owner;
            p.lockHeldSince = now;
            p.lockHeldMark = mark;
            p.lockStallReported = false;
            return;
        }
        long held = now - p.lockHeldSince;
        if (held < THRESHOLD_NANOS || p.lockStallReported) {
            return;
        }
        p.lockStallReported = true;
        StringBuilder holder = new StringBuilder(" Its lock is held by ").append(owner.getName()).append(" throughout\n");
        PoolDump.appendStack(holder, owner.getName(), owner.getStackTrace());
        report(p, held, p.worklist.size() /* racy: a snapshot for the event */, holder.toString());
    }

    /** T and L: the watchdog has {@code p}'s lock again; a held-lock stall it reported counts now. */
    private static void lockFree(WorkerPool p) {
        assert p.isLocked();
        if (p.lockStallReported) {
            p.stalls++;
        }
        p.lockHeldBy = null;
        p.lockStallReported = false;
    }

    /**
     * {@code pending}: the pool's worklist when the stall was found; {@code detail} follows the
     * headline's "!" and ends with a line break.
     */
    private static void report(WorkerPool p, long stalledNanos, int pending, String detail) {
        String dump = PoolDump.busyPools(true);
        String msg = "jwq: BUG: workqueue lockup - " + p + " stuck for " + stalledNanos / 1_000_000_000 + "s!" + detail + dump;
        LOG.log(System.Logger.Level.ERROR, msg);
        Tracepoints.poolStall(p.id, p.cpu, stalledNanos, pending, dump);
    }
}
