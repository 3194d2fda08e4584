package dev.jwq.agent.boot;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One executor the agent left on its own threads ({@code report=true}), and why. */
@Name("dev.jwq.ExecutorLeftAlone")
@Category({"jwq", "Agent"})
@Label("Executor Left Alone")
@Description("An executor made where the agent rewrites keeps its own threads")
public final class ExecutorLeftAlone extends jdk.jfr.Event {
    @Label("Call Site")
    @Description("Class.method:line where the executor was made")
    public String callSite;

    @Label("Original Factory")
    @Description("The JDK factory or constructor, or the subclass, that made it")
    public String originalFactory;

    @Label("Reason")
    @Description("Why it keeps its own threads: its queue class, or its ThreadFactory's thread class")
    public String reason;
}
