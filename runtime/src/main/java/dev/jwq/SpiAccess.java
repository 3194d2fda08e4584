package dev.jwq;

import dev.jwq.spi.PendingWork;
import dev.jwq.spi.RuntimeSide;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

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

    @Override
    public void queueFresh(Workqueue wq, Work w) {
        requireFresh(w);
        wq.queueFresh(w);
    }

    @Override
    public void queueDelayedFresh(Workqueue wq, DelayedWork w, Duration delay) {
        requireFresh(w);
        wq.queueDelayedFresh(w, delay);
    }

    private static void requireFresh(Work w) {
        if (!w.isFresh()) {
            throw new IllegalArgumentException("work was queued before: FreshWork takes only a new item, " + w);
        }
    }

    /** Each pwq's pending items ({@link WorkerPool#pendingOf}); one pool lock at a time. */
    @Override
    public List<PendingWork.Item> pending(Workqueue wq) {
        List<PendingWork.Item> out = new ArrayList<>();
        underEachPoolLock(wq, pwq -> {
            // The oldest waiting items that fit under max_active have a slot in Linux's terms:
            // an unbound pool only keeps them off its worklist (WorkerPool.enoughReady).
            int slots = pwq.freeSlots();
            for (Work w : pwq.pool.pendingOf(pwq)) {
                w.clearUnseen(); // handed out: the caller may cancel, queue again or flush it
                boolean pastMaxActive = w.isInactive() && slots-- <= 0;
                out.add(new PendingWork.Item(w, w.fn, pastMaxActive));
            }
        });
        return out;
    }

    /** Each pwq's running items ({@link WorkerPool#countRunning}); one pool lock at a time. */
    @Override
    public int running(Workqueue wq) {
        int[] n = {0};
        underEachPoolLock(wq, pwq -> n[0] += pwq.pool.countRunning(pwq));
        return n[0];
    }

    /** Each pwq's items in flight ({@link WorkerPool#countInFlight}); one pool lock at a time. */
    @Override
    public int inFlight(Workqueue wq) {
        int[] n = {0};
        underEachPoolLock(wq, pwq -> n[0] += pwq.pool.countInFlight(pwq));
        return n[0];
    }

    @Override
    public long completed(Workqueue wq) {
        return wq.pwqs.completedNow();
    }

    @Override
    public void whenTerminated(Workqueue wq, Runnable action) {
        wq.whenTerminated(action);
    }

    /** Runs {@code f} on each pwq of {@code wq} under its pool's lock, one pool lock at a time. */
    private static void underEachPoolLock(Workqueue wq, Consumer<PoolWorkqueue> f) {
        for (PoolWorkqueue pwq : wq.pwqs()) {
            WorkerPool pool = pwq.pool;
            pool.lock();
            try {
                f.accept(pwq);
            } finally {
                pool.unlock();
            }
        }
    }
}
