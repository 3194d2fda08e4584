package dev.jwq;

import dev.jwq.jfr.FunctionNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A text dump of the busy pools, for the watchdog's report ({@code show_all_workqueues} /
 * {@code show_one_worker_pool}): per pool its workers, what each busy one runs and its stack,
 * and the pending items per workqueue.
 */
final class PoolDump {
    /** Stack frames printed per busy worker. */
    private static final int MAX_FRAMES = 24;

    /** A worker listed in-flight: the item and its itemSeq when the pool was described, under L. */
    private record Busy(Worker worker, Work item, int seq) {}

    /** Tests only: runs after a pool is described and before its workers' stacks are taken. */
    static volatile Runnable beforeStacks;

    private PoolDump() {}

    /** Every pool with pending or running work. Takes each pool's lock in turn, never two. */
    static String busyPools() {
        return busyPools(false);
    }

    /**
     * {@link #busyPools()}; with {@code noWait} (the watchdog, on the timer thread, which never
     * waits for a pool lock: see {@link WorkerPool#BUSY_RETRY_NANOS}) a pool whose lock stays
     * busy for a few tries is named, not described.
     */
    static String busyPools(boolean noWait) {
        StringBuilder out = new StringBuilder("Showing busy worker pools:\n");
        for (WorkerPool p : Pools.all()) {
            List<Busy> busy = new ArrayList<>();
            if (!lock(p, noWait)) {
                out.append(p).append(": not shown, its lock was busy\n");
                continue;
            }
            try {
                if (p.worklist.isEmpty() && p.nrRunning == 0 && !hasBusy(p)) {
                    continue;
                }
                describe(p, out, busy);
            } finally {
                p.unlock();
            }
            Runnable hook = beforeStacks;
            if (hook != null) {
                hook.run();
            }
            // Stacks outside the lock: taking them waits for a safepoint. An item may end meanwhile;
            // then its worker's stack is of something else (idle, or the next item), not shown as its.
            for (Busy b : busy) {
                StackTraceElement[] stack = b.worker.thread.getStackTrace();
                if (!stillRuns(p, b, noWait)) {
                    out.append("  stack of ").append(b.worker.getName())
                            .append(": not shown, it finished that item while the dump was taken\n");
                    continue;
                }
                appendStack(out, b.worker.getName(), stack);
            }
        }
        return out.toString();
    }

    /** {@code   stack of <name>:} and its first {@link #MAX_FRAMES} frames, one per line. */
    static void appendStack(StringBuilder out, String name, StackTraceElement[] stack) {
        out.append("  stack of ").append(name).append(":\n");
        for (int i = 0; i < stack.length && i < MAX_FRAMES; i++) {
            out.append("      at ").append(stack[i]).append('\n');
        }
        if (stack.length > MAX_FRAMES) {
            out.append("      ... ").append(stack.length - MAX_FRAMES).append(" more\n");
        }
    }

    /**
     * Takes {@code p}'s lock; with {@code noWait}, only if it is free within a few spins (its
     * holders keep it for well under a microsecond, unless one is descheduled): false if not.
     */
    private static boolean lock(WorkerPool p, boolean noWait) {
        if (!noWait) {
            p.lock();
            return true;
        }
        for (int attempt = 0; attempt < Backoff.SPINS; attempt++) {
            if (p.tryLock()) {
                return true;
            }
            Backoff.pause(attempt);
        }
        return false;
    }

    /**
     * Whether the worker still runs the item it ran when its pool was described (the same run of
     * it). With {@code noWait}, if the pool's lock stays busy, from racy reads of the worker's
     * item and start count, as the pool monitor reads them: the stack was taken by a handshake
     * with the worker's thread just before, and a report that dropped a stuck worker's stack
     * whenever a lock holder was descheduled for an instant (a busy 2-CPU machine) lost what
     * the report is for. The lock only makes the answer exact.
     */
    private static boolean stillRuns(WorkerPool p, Busy b, boolean noWait) {
        boolean locked = lock(p, noWait);
        try {
            return b.worker.currentWork == b.item && b.worker.itemSeq == b.seq;
        } finally {
            if (locked) {
                p.unlock();
            }
        }
    }

    private static boolean hasBusy(WorkerPool p) {
        for (Worker w : p.workers) {
            if (w.currentWork != null) {
                return true;
            }
        }
        return false;
    }

    /** L: one pool's summary; collects its busy workers into {@code busy}. */
    private static void describe(WorkerPool p, StringBuilder out, List<Busy> busy) {
        assert p.isLocked();
        out.append(p).append(": workers=").append(p.workers.size()).append(" idle=").append(p.nrIdle())
                .append(" running=").append(p.nrRunning).append(" pending=").append(p.worklist.size()).append('\n');
        for (Worker w : p.workers) {
            Work cur = w.currentWork; // racy for other workers' fields that are X (benign: a report)
            if (cur != null) {
                busy.add(new Busy(w, cur, w.itemSeq));
                out.append("  in-flight: ").append(w.getName()).append(' ').append(FunctionNames.of(TaskFunction.of(cur.fn)));
                PoolWorkqueue pwq = w.currentPwq;
                if (pwq != null) {
                    out.append(" [").append(pwq.wq.name()).append(']');
                }
                if (w.isSleeping()) {
                    out.append(" sleeping (").append(w.sleepSource()).append(')');
                }
                if (w.isHogging()) {
                    out.append(" cpu-intensive");
                }
                Work held = w.heldItem();
                if (held != null) {
                    out.append(" holding ").append(FunctionNames.of(TaskFunction.of(held.fn))).append(" to run next");
                }
                if (w.carried != null) {
                    // A virtual worker: the carrier it runs on now, or that it is unmounted.
                    Thread on = w.carried.mountedOn();
                    out.append(on != null ? " on " + on.getName() : " unmounted");
                }
                out.append('\n');
            }
        }
        Map<String, Integer> pending = new LinkedHashMap<>();
        for (Work w = p.worklist.first(); w != null; w = w.next) {
            PoolWorkqueue pwq = w.pwq;
            pending.merge(pwq != null ? pwq.wq.name() : "?", 1, Integer::sum);
        }
        pending.forEach((wq, n) -> out.append("  pending: ").append(wq).append(" x").append(n).append('\n'));
    }

}
