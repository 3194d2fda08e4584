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
 * <p>Items are sampled: the {@code sampleOneIn} setting records one item in N, chosen when it
 * is queued, because a clock read per item would cost more than a tiny item itself; the usual
 * {@code threshold} then filters the sampled items by run time.
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

    WorkExecution() {
    }

    /** Carries the sampling rate: the choice is made when the item is queued, so every begun event passes. */
    @SettingDefinition
    @Name("sampleOneIn")
    @Label("Sample One In")
    @Description("Record one work item in this many, chosen at random when queued (1: every item)")
    protected boolean sampleOneIn(SampleSetting setting) {
        return true;
    }
}
