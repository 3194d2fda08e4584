package dev.jwq.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code trace_workqueue_queue_work}: a work item was queued. Hot: off unless asked for. */
@Name(EventNames.WORK_QUEUED)
@Label("Work Queued")
@Category({"jwq", "Work Items"})
@Description("A work item was queued on a workqueue (workqueue_queue_work)")
@StackTrace(false)
@Enabled(false)
public final class WorkQueued extends Event {
    @Label("Workqueue")
    String workqueue;

    @Label("Function")
    @Description("Class of the queued task")
    String function;

    @Label("Requested CPU")
    @Description("CPU asked for by queueOn, or -1 when any CPU would do")
    int requestedCpu;

    @Label("CPU")
    @Description("CPU whose pool the item went to, or -1 for an unbound pool")
    int cpu;

    @Label("Pool")
    @Description("Id of the worker pool the item went to")
    int pool;

    @Label("Inactive")
    @Description("Held back on the inactive list because the workqueue was at max_active")
    boolean inactive;

    WorkQueued() {
    }
}
