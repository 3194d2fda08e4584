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
 * {@link WorkerPool#BUSY_RETRY_NANOS}): a pool whose lock is busy is skipped for the period, as
 * is a busy pool in the report's dump.
 *
 * <p>Legend: L: the pool's lock (the per-pool fields live in {@link WorkerPool}); I: final.
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
                    continue; // checked next period: a missed sample only delays a report
                }
                long stalledFor;
                int pending;
                try {
                    stalledFor = check(p, now);
                    pending = p.worklist.size();
                } finally {
                    p.unlock();
                }
                if (stalledFor > 0) {
                    report(p, stalledFor, pending);
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
        if (p.worklist.isEmpty() || p.completed != p.watchdogMark || !p.watchdogPending) {
            p.watchdogMark = p.completed;
            p.watchdogSince = now;
            p.watchdogPending = !p.worklist.isEmpty();
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

    /** {@code pending}: the pool's worklist when the stall was found. */
    private static void report(WorkerPool p, long stalledNanos, int pending) {
        String dump = PoolDump.busyPools(true);
        String msg = "jwq: BUG: workqueue lockup - " + p + " stuck for " + stalledNanos / 1_000_000_000 + "s!\n" + dump;
        LOG.log(System.Logger.Level.ERROR, msg);
        Tracepoints.poolStall(p.id, p.cpu, stalledNanos, pending, dump);
    }
}
