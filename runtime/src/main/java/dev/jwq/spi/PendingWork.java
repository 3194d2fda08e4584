package dev.jwq.spi;

import dev.jwq.Work;
import dev.jwq.Workqueue;
import java.util.List;

/**
 * The items of a workqueue that are queued and have not started: on a pool's worklist, on the
 * inactive list past max_active, or handed to the worker where the same item runs (timers not
 * included). A snapshot: an item may start or be cancelled the moment it is returned; take one
 * off for good with {@link Work#cancel()}, which returns true only if it was still pending.
 * For the agent's rewritten executors, which move their pending tasks into the application's
 * own queue when it is first looked at.
 */
public final class PendingWork {
    /**
     * One pending item and the function it runs. {@code waiting}: it waits past max_active for a
     * slot (Linux's inactive items); otherwise it has one and only waits for a worker to take it,
     * as a task handed to a thread ThreadPoolExecutor starts for it, which never shows in that
     * executor's queue.
     */
    public record Item(Work work, Runnable function, boolean waiting) {
    }

    private PendingWork() {}

    /** The pending items of {@code wq}, each pool's in queueing order. */
    public static List<Item> of(Workqueue wq) {
        return RuntimeSide.get().pending(wq);
    }
}
