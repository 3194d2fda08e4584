package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code org.example.app.ContractSweep} (one line per executor contract check) in a child JVM
 * with the agent and with {@code mode=off} as the control: every line must be the same, but
 * for the differences docs/agent.md documents.
 */
class ContractSweepIT {
    /**
     * Checks whose lines differ by design (docs/agent.md): what a task sees of the jwq worker it
     * runs on (a virtual thread: daemon, normal priority, the virtual threads' group, no values
     * inherited from the thread that would have created the pool thread, a pool of one's tasks
     * not always on one thread: its ThreadLocal values; ThreadLocal values one executor's task left
     * seen by another's on the same worker), the factory called once for a probe
     * thread, and a cached pool's idle threads not counted by getPoolSize().
     */
    private static final Set<String> DOCUMENTED = Set.of(
            "factory-daemon-priority-group", "default-factory-thread", "default-factory-group",
            "inheritable-threadlocal", "threadlocal-fixed1", "threadlocal-across-executors", "factory-calls",
            "cached-idle-pool-size");

    private static String check(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? line : line.substring(0, colon);
    }

    @Test
    void everyContractCheckPrintsTheSameWithAndWithoutTheAgent() throws Exception {
        ChildJvm.Result jdk = ChildJvm.run("mode=off", "org.example.app.ContractSweep");
        ChildJvm.Result jwq = ChildJvm.run("", "org.example.app.ContractSweep");
        assertEquals(0, jdk.exit(), jdk::toString);
        assertEquals(0, jwq.exit(), jwq::toString);
        List<String> expected = jdk.out().lines().toList();
        List<String> actual = jwq.out().lines().toList();
        assertEquals("done", expected.get(expected.size() - 1), jdk::toString);
        assertEquals(expected.stream().map(ContractSweepIT::check).toList(),
                actual.stream().map(ContractSweepIT::check).toList(), "the same checks in the same order");
        assertTrue(expected.stream().map(ContractSweepIT::check).toList().containsAll(DOCUMENTED),
                "every documented difference is still checked");
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            if (!expected.get(i).equals(actual.get(i)) && !DOCUMENTED.contains(check(expected.get(i)))) {
                differences.add("JDK:   " + expected.get(i) + "\nagent: " + actual.get(i));
            }
        }
        assertEquals("", String.join("\n", differences), () -> "lines that differ under the agent\n--- control\n"
                + jdk + "\n--- agent\n" + jwq);
        assertEquals(jdk.err(), jwq.err(), "standard error");
    }
}
