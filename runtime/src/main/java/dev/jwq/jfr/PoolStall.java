package dev.jwq.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The watchdog's {@code BUG: workqueue lockup}: a pool with pending work made no progress. */
@Name(EventNames.POOL_STALL)
@Label("Pool Stall")
@Category({"jwq", "Forward Progress"})
@Description("A pool had pending work and made no progress for the watchdog threshold (workqueue lockup)")
@StackTrace(false)
public final class PoolStall extends Event {
    @Label("Pool")
    int pool;

    @Label("CPU")
    @Description("CPU of a bound pool, or -1 for an unbound pool")
    int cpu;

    @Label("Stalled For")
    @Timespan(Timespan.NANOSECONDS)
    long stalledFor;

    @Label("Pending")
    @Description("Items waiting on the pool's worklist")
    int pending;

    @Label("Dump")
    @Description("The pool's state: workers, what each runs, the worklist")
    String dump;

    PoolStall() {
    }
}
