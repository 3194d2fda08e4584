package dev.jwq.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** One worker pool's state, emitted for every pool each period (wq_dump's pool lines). */
@Name(EventNames.POOL_STATISTICS)
@Label("Pool Statistics")
@Category({"jwq", "Statistics"})
@Description("Workers and work of one worker pool")
@StackTrace(false)
@Period("1 s")
public final class PoolStatistics extends Event {
    @Label("Pool")
    int pool;

    @Label("Name")
    @Description("e.g. 'cpu 3', 'cpu 3 highpri', 'unbound 8'")
    String name;

    @Label("CPU")
    @Description("CPU of a bound pool, or -1 for an unbound pool")
    int cpu;

    @Label("High Priority")
    boolean highPriority;

    @Label("Workers")
    @Description("Live workers")
    int workers;

    @Label("Idle")
    @Description("Idle workers")
    int idle;

    @Label("Running")
    @Description("nr_running: workers running an item and not known to be blocked")
    int running;

    @Label("Pending")
    @Description("Items on the worklist waiting for a worker")
    int pending;

    @Label("Completed")
    @Description("Items finished by the pool since it was created")
    long completed;

    PoolStatistics() {
    }
}
