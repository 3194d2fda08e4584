package dev.jwq.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * {@code trace_workqueue_activate_work} for an item that had been held back by max_active and
 * now goes to its pool's worklist. (Items that go straight to the worklist are shown by
 * {@link WorkQueued#inactive} being false.) Hot under a small max_active: off unless asked for.
 */
@Name(EventNames.WORK_ACTIVATED)
@Label("Work Activated")
@Category({"jwq", "Work Items"})
@Description("A work item held back by max_active became active (workqueue_activate_work)")
@StackTrace(false)
@Enabled(false)
public final class WorkActivated extends Event {
    @Label("Workqueue")
    String workqueue;

    @Label("Function")
    @Description("Class of the task")
    String function;

    @Label("Pool")
    int pool;

    @Label("Time Inactive")
    @Description("How long the item waited on the inactive list")
    @Timespan(Timespan.NANOSECONDS)
    long inactiveTime;

    WorkActivated() {
    }
}
