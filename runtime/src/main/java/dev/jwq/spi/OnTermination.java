package dev.jwq.spi;

import dev.jwq.Workqueue;
import java.util.Objects;

/**
 * An action to run once a workqueue has terminated (shut down, every item finished, no timer
 * armed): for an executor over a workqueue of its own whose termination follows the
 * workqueue's and has a hook of its own to run (the agent's rewritten
 * {@code ThreadPoolExecutor}). The action runs on a worker of the system unbound workqueue,
 * within about a millisecond of the termination, never under an engine lock; an executor that
 * waits for the termination can finish its own as soon as
 * {@link Workqueue#awaitTermination} returns.
 */
public final class OnTermination {
    private OnTermination() {}

    /**
     * Runs {@code action} once {@code wq} has terminated (soon, if it has). One action per
     * workqueue until it has run.
     *
     * @throws IllegalStateException if {@code wq} has an action that has not run yet
     */
    public static void register(Workqueue wq, Runnable action) {
        RuntimeSide.get().whenTerminated(Objects.requireNonNull(wq, "wq is null"), Objects.requireNonNull(action, "action is null"));
    }
}
