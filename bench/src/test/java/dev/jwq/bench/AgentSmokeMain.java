package dev.jwq.bench;

/**
 * Run by {@link ScenarioSmokeTest} in a child JVM under the agent: the scenarios on each executor
 * named, then "ok LABEL CLASS" per executor (the class of what {@link ExecutorKind} made).
 */
public final class AgentSmokeMain {
    private AgentSmokeMain() {}

    public static void main(String[] args) throws Exception {
        for (String label : args) {
            var e = ExecutorKind.byLabel(label).create(2);
            String type = e.getClass().getName();
            e.shutdown();
            ScenarioSmokeTest.runScenarios(label);
            System.out.println("ok " + label + " " + type);
        }
    }
}
