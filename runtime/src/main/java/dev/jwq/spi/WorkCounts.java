package dev.jwq.spi;

import dev.jwq.Workqueue;
import java.util.Objects;

/**
 * What a workqueue counts anyway, for an executor built over it that would otherwise count the
 * same per task (the agent's rewritten executors: a fenced count at each {@code execute} and
 * each end cost a chain step about a tenth of its time, and nothing is counted per item for the
 * running ones). Snapshots, for statistics; exact once nothing starts or ends.
 */
public final class WorkCounts {
    private WorkCounts() {}

    /**
     * The items of {@code wq} running now: on a worker, from the moment it starts until it ends
     * (a blocked one included), under each of its pools' locks in turn, as
     * {@code ThreadPoolExecutor.getActiveCount} counts its busy workers under its main lock.
     */
    public static int running(Workqueue wq) {
        return RuntimeSide.get().running(Objects.requireNonNull(wq, "wq is null"));
    }

    /**
     * The items of {@code wq} queued and not finished, under each of its pools' locks in turn:
     * its count in flight, corrected for the units that count shares or owes while workers pass
     * their slots on without the lock; off by an item for an instant while one does.
     */
    public static int inFlight(Workqueue wq) {
        return RuntimeSide.get().inFlight(Objects.requireNonNull(wq, "wq is null"));
    }

    /** The items of {@code wq} that finished (ran and returned or threw), under each of its pools' locks in turn. */
    public static long completed(Workqueue wq) {
        return RuntimeSide.get().completed(Objects.requireNonNull(wq, "wq is null"));
    }
}
