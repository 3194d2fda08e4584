package dev.jwq.spi;

import dev.jwq.DelayedWork;
import dev.jwq.Work;
import dev.jwq.Workqueue;
import java.time.Duration;
import java.util.Objects;

/**
 * Queues a one-shot item the way {@link Workqueue#execute} queues the item it makes for a task:
 * for an agent whose executor makes its own {@link Work} per task (a subclass that runs itself)
 * and keeps it to itself. The engine then keeps it as unseen until it is handed out (by
 * {@link Work#current()} inside its run, or listed by {@link PendingWork}): no compare-and-set
 * to own it, no runningOn mark, no done count, three fenced writes fewer per task. The caller
 * may still cancel it while it waits; it must not otherwise queue, flush or cancel it without
 * getting it from one of those two.
 */
public final class FreshWork {
    private FreshWork() {}

    /**
     * Queues {@code work}, which must never have been queued.
     *
     * @param wq where it runs
     * @param work a new item
     * @throws IllegalArgumentException if {@code work} was queued before
     * @throws java.util.concurrent.RejectedExecutionException if {@code wq} accepts no more items
     */
    public static void queue(Workqueue wq, Work work) {
        RuntimeSide.get().queueFresh(Objects.requireNonNull(wq, "wq is null"), Objects.requireNonNull(work, "work is null"));
    }

    /**
     * Queues {@code work}, which must never have been queued, after {@code delay} (at once if
     * zero or negative), as {@link Workqueue#queueDelayed} would; the caller may still cancel it
     * while its timer runs.
     *
     * @param wq where it runs
     * @param work a new item
     * @param delay how long from now
     * @throws IllegalArgumentException if {@code work} was queued before
     * @throws java.util.concurrent.RejectedExecutionException if {@code wq} accepts no more items
     */
    public static void queueDelayed(Workqueue wq, DelayedWork work, Duration delay) {
        RuntimeSide.get().queueDelayedFresh(Objects.requireNonNull(wq, "wq is null"), Objects.requireNonNull(work, "work is null"),
                Objects.requireNonNull(delay, "delay is null"));
    }
}
