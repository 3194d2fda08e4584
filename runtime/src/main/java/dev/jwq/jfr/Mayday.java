package dev.jwq.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code send_mayday}: a pool could not get a worker and called a workqueue's rescuer. */
@Name(EventNames.MAYDAY)
@Label("Mayday")
@Category({"jwq", "Forward Progress"})
@Description("A pool could not create a worker and asked a MEM_RECLAIM workqueue's rescuer for help (send_mayday)")
@StackTrace(false)
public final class Mayday extends Event {
    @Label("Workqueue")
    String workqueue;

    @Label("Pool")
    int pool;

    @Label("Function")
    @Description("Class of the pending task the mayday was sent for")
    String function;

    Mayday() {
    }
}
