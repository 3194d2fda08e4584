package dev.jwq.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * {@code wq_cpu_intensive_report}: an item of a concurrency-managed workqueue used more CPU than
 * the CPU-intensive threshold without blocking and stopped counting toward concurrency.
 */
@Name(EventNames.CPU_INTENSIVE)
@Label("CPU Hog")
@Category({"jwq", "Work Items"})
@Description("A work item hogged the CPU past the CPU-intensive threshold (wq_cpu_intensive_report)")
@StackTrace(false)
public final class CpuIntensive extends Event {
    @Label("Workqueue")
    String workqueue;

    @Label("Function")
    @Description("Class of the task")
    String function;

    @Label("Pool")
    int pool;

    @Label("Worker")
    String worker;

    @Label("CPU Time")
    @Description("CPU time the item had used when it was found hogging")
    @Timespan(Timespan.NANOSECONDS)
    long cpuTime;

    @Label("Count")
    @Description("Times this function has hogged the CPU so far in this process")
    long count;

    CpuIntensive() {
    }
}
