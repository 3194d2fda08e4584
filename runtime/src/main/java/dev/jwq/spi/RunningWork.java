package dev.jwq.spi;

import dev.jwq.Workqueue;

/**
 * How many items of a workqueue are running now: on a worker, from the moment it starts until
 * it ends (a blocked one included). A snapshot, taken under each of the workqueue's pools' locks
 * in turn, as {@code ThreadPoolExecutor.getActiveCount} counts its busy workers under its main
 * lock: nothing is counted per item for it. For the agent's rewritten executors' statistics.
 */
public final class RunningWork {
    private RunningWork() {}

    /** The items of {@code wq} running now. */
    public static int count(Workqueue wq) {
        return RuntimeSide.get().running(wq);
    }
}
