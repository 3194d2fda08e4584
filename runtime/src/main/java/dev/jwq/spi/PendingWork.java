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
    /** One pending item and the function it runs. */
    public record Item(Work work, Runnable function) {
    }

    private PendingWork() {}

    /** The pending items of {@code wq}, each pool's in queueing order. */
    public static List<Item> of(Workqueue wq) {
        return RuntimeSide.get().pending(wq);
    }
}
