package dev.jwq.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.SettingDefinition;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * {@code trace_workqueue_execute_start} / {@code trace_workqueue_execute_end}: one run of a work
 * item's function, begun and committed by the worker that runs it (so the event thread is the
 * worker, and JMC's thread lanes show the item where it ran).
 *
 * <p>Besides the usual {@code threshold} (on run time), the {@code totalThreshold} setting
 * records only items whose queue latency plus run time reaches it: a short item that waited
 * long is what a workqueue user wants to see, and the built-in threshold alone would drop it.
 */
@Name(EventNames.WORK_EXECUTION)
@Label("Work Execution")
@Category({"jwq", "Work Items"})
@Description("A work item's function ran on a worker (workqueue_execute_start/end)")
@StackTrace(false)
public final class WorkExecution extends Event {
    @Label("Workqueue")
    String workqueue;

    @Label("Function")
    @Description("Class of the task")
    String function;

    @Label("Pool")
    int pool;

    @Label("Worker")
    @Description("Name of the worker thread")
    String worker;

    @Label("Queue Latency")
    @Description("From queueing (or the timer firing) to the start of the run")
    @Timespan(Timespan.NANOSECONDS)
    long queueLatency;

    @Label("CPU Intensive")
    @Description("Excluded from concurrency management: a CPU_INTENSIVE workqueue or found hogging the CPU")
    boolean cpuIntensive;

    @Label("Failure")
    @Description("Class of the exception the task threw, or null")
    String failure;

    /** System.nanoTime() at the start; not recorded (transient). */
    transient long startNanos;
    /** Run time measured by the facade for the totalThreshold setting; not recorded (transient). */
    transient long runNanos;

    WorkExecution() {
    }

    @SettingDefinition
    @Name("totalThreshold")
    @Label("Total Threshold")
    @Description("Record items whose queue latency plus run time reaches this")
    protected boolean totalThreshold(TotalThresholdSetting setting) {
        return setting.accepts(queueLatency + runNanos);
    }
}
