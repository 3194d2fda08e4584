package dev.jwq.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code create_worker} / {@code set_worker_dying}: a pool gained, lost or failed to gain a worker. */
@Name(EventNames.WORKER_LIFECYCLE)
@Label("Worker Lifecycle")
@Category({"jwq", "Workers"})
@Description("A worker was created or retired, or its creation failed (create_worker, set_worker_dying)")
@StackTrace(false)
public final class WorkerLifecycle extends Event {
    @Label("Pool")
    int pool;

    @Label("Worker")
    @Description("Name of the worker thread, or null when creation failed")
    String worker;

    @Label("Action")
    @Description("created, retired or creation failed")
    String action;

    @Label("Reason")
    @Description("Why creation failed (the error), or null")
    String reason;

    @Label("Workers")
    @Description("Live workers of the pool after the change")
    int workers;

    WorkerLifecycle() {
    }
}
