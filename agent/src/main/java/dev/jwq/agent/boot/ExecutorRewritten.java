package dev.jwq.agent.boot;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * One executor created through a call site the agent rewrote ({@code report=true}). Lives in the
 * agent's bootstrap jar for now; the runtime's {@code dev.jwq.jfr} package may take it over.
 */
@Name("dev.jwq.ExecutorRewritten")
@Category({"jwq", "Agent"})
@Label("Executor Rewritten")
@Description("An executor created at a rewritten call site now runs its tasks on a jwq workqueue")
public final class ExecutorRewritten extends jdk.jfr.Event {
    @Label("Call Site")
    @Description("Class.method:line of the rewritten call")
    public String callSite;

    @Label("Original Factory")
    @Description("The JDK factory or constructor the application called")
    public String originalFactory;

    @Label("Workqueue")
    public String workqueue;
}
