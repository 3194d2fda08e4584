package dev.jwq.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * {@code wq_worker_sleeping} .. {@code wq_worker_running}: a busy worker was known to be blocked,
 * so it stopped counting toward its pool's concurrency. Begun and committed by whichever thread
 * learns each edge (the worker itself, or the pool monitor), so the worker is named in a field.
 */
@Name(EventNames.WORKER_SLEEPING)
@Label("Worker Sleeping")
@Category({"jwq", "Workers"})
@Description("A busy worker blocked and stopped counting toward concurrency (wq_worker_sleeping/running)")
@StackTrace(false)
@Threshold("10 ms")
public final class WorkerSleeping extends Event {
    @Label("Pool")
    int pool;

    @Label("Worker")
    @Description("Name of the worker thread")
    String worker;

    @Label("Detected By")
    @Description("hook (agent), explicit (Workqueues.blocking) or sampler (thread state seen by the pool monitor)")
    String detectedBy;

    WorkerSleeping() {
    }
}
