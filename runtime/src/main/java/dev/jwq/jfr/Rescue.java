package dev.jwq.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code rescuer_thread}: a rescuer ran a batch of a workqueue's items in a pool short of workers. */
@Name(EventNames.RESCUE)
@Label("Rescue")
@Category({"jwq", "Forward Progress"})
@Description("A rescuer ran pending items of its workqueue in a pool that could not get a worker (rescuer_thread)")
@StackTrace(false)
public final class Rescue extends Event {
    @Label("Workqueue")
    String workqueue;

    @Label("Pool")
    int pool;

    @Label("Items Rescued")
    int rescued;

    Rescue() {
    }
}
