package dev.jwq;

import dev.jwq.spi.PendingWork;
import dev.jwq.spi.RuntimeSide;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime's side of {@link dev.jwq.spi.RuntimeSide}: installed when that class first loads
 * this one. It touches no engine class until asked for pending items, so the settings check of
 * the agent's premain starts nothing.
 */
final class SpiAccess implements RuntimeSide.Side {
    static {
        RuntimeSide.install(new SpiAccess());
    }

    private SpiAccess() {}

    @Override
    public String settingsProblem() {
        return Settings.problem();
    }

    @Override
    public Workqueue.Builder daemon(Workqueue.Builder b) {
        b.daemon = true;
        return b;
    }

    /** Each pwq's items on its pool's worklist, its inactive list and its workers' hand-over lists; one pool lock at a time. */
    @Override
    public List<PendingWork.Item> pending(Workqueue wq) {
        List<PendingWork.Item> out = new ArrayList<>();
        for (PoolWorkqueue pwq : wq.pwqs()) {
            WorkerPool pool = pwq.pool;
            pool.lock.lock();
            try {
                collect(pwq, pool.worklist, out);
                collect(pwq, pwq.inactive, out);
                for (Worker w : pool.workers) {
                    collect(pwq, w.scheduled, out);
                }
            } finally {
                pool.lock.unlock();
            }
        }
        return out;
    }

    /** L: the items of {@code pwq} on {@code list}. */
    private static void collect(PoolWorkqueue pwq, WorkList list, List<PendingWork.Item> out) {
        for (Work w = list.first(); w != null; w = w.next) {
            if (w.pwq == pwq) {
                out.add(new PendingWork.Item(w, w.fn));
            }
        }
    }
}
