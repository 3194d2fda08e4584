package dev.jwq.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One workqueue's counters, {@code wq_monitor.py}'s row, emitted for every workqueue each
 * period. Counters are cumulative since the workqueue was created (subtract two samples for a
 * rate), as {@code pwq->stats[]} are.
 */
@Name(EventNames.WORKQUEUE_STATISTICS)
@Label("Workqueue Statistics")
@Category({"jwq", "Statistics"})
@Description("Cumulative counters of one workqueue, the columns of wq_monitor.py")
@StackTrace(false)
@Period("1 s")
public final class WorkqueueStatistics extends Event {
    @Label("Workqueue")
    String workqueue;

    @Label("Instance")
    @Description("Tells workqueues that share a name apart: a number unique to this workqueue in this JVM")
    long instance;

    @Label("Unbound")
    boolean unbound;

    @Label("Memory Reclaim")
    @Description("MEM_RECLAIM: has a rescuer")
    boolean memReclaim;

    @Label("Started")
    @Description("wq_monitor 'total': items that started running")
    long started;

    @Label("Completed")
    @Description("Items that finished running")
    long completed;

    @Label("In Flight")
    @Description("wq_monitor 'infl': started minus completed")
    long inFlight;

    @Label("CPU Time")
    @Description("wq_monitor 'CPUtime': CPU time used by the workqueue's items")
    @Timespan(Timespan.NANOSECONDS)
    long cpuTime;

    @Label("CPU Intensive")
    @Description("wq_monitor 'CPUitsv': items that hogged the CPU past the threshold and left concurrency management")
    long cpuIntensive;

    @Label("CM Wake-ups")
    @Description("wq_monitor 'CMW' (per-CPU workqueues): workers woken by concurrency management while its items ran")
    long cmWakeups;

    @Label("Repatriated")
    @Description("wq_monitor 'RPR' (unbound workqueues): workers brought back into their affinity scope")
    long repatriated;

    @Label("Maydays")
    @Description("wq_monitor 'mayday': times its rescuer was requested while a worker could not be created")
    long maydays;

    @Label("Rescued")
    @Description("wq_monitor 'rescued': items run by its rescuer")
    long rescued;

    @Label("Max Active")
    int maxActive;

    @Label("Active")
    @Description("Items counted toward max_active now")
    int active;

    @Label("Inactive Items")
    @Description("Items held back by max_active now")
    int inactiveItems;

    WorkqueueStatistics() {
    }
}
