package dev.jwq.agent.boot;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * {@code mode=observe}: one task run by an application's own ThreadPoolExecutor (or
 * ScheduledThreadPoolExecutor), left on its own threads. A duration event, begun and committed
 * around the task inside the executor's worker loop; the task itself is never wrapped.
 */
@Name("dev.jwq.ExecutorTask")
@Category({"jwq", "Agent"})
@Label("Executor Task")
@Description("A task run by an application's ThreadPoolExecutor under mode=observe")
public final class ExecutorTask extends jdk.jfr.Event {
    @Label("Executor")
    @Description("Class and identity of the executor")
    public String executor;

    @Label("Function")
    @Description("Class of the task (FutureTask for submit and schedule)")
    public String function;

    @Label("Failure")
    @Description("What the task threw, if anything")
    public String failure;
}
