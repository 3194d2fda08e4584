package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every Executors factory and TPE/STPE constructor, in a child JVM with and without the agent. */
class RewriteIT {
    private static List<String> names(String threadList) {
        return threadList.isEmpty() ? List.of() : Arrays.asList(threadList.split("\\|"));
    }

    @Test
    void everyFactoryAndConstructorRunsOnJwqWithTheJdksShutdownSemantics() throws Exception {
        ChildJvm.Result jdk = ChildJvm.run("mode=off", "org.example.app.EveryFactory");
        ChildJvm.Result jwq = ChildJvm.run("report=true", "org.example.app.EveryFactory");
        assertEquals(0, jdk.exit(), jdk::toString);
        assertEquals(0, jwq.exit(), jwq::toString);

        List<String> executors = jwq.lines("executor ");
        assertEquals(20, executors.size(), jwq::toString);
        for (String line : executors) {
            String threads = line.substring(line.indexOf('[') + 1, line.length() - 1);
            for (String t : threads.split(", ")) {
                assertTrue(ChildJvm.onJwq(t), "task ran off jwq: " + line);
            }
        }
        for (String line : jdk.lines("executor ")) {
            assertFalse(line.contains("jwq/"), "the control run (mode=off) used jwq: " + line);
        }

        // shutdown(): later submissions rejected (or handed to the handler), queued tasks run, termination.
        assertEquals(jdk.lines("shutdown "), jwq.lines("shutdown "));

        // Threads stay few: none of the application's or the JDK's pool threads exist.
        List<String> running = names(jwq.line("alive-running "));
        for (String t : running) {
            boolean jdkPoolThread = t.startsWith("pool-") || t.startsWith("app-") || t.startsWith("ForkJoinPool-");
            assertFalse(jdkPoolThread && !ChildJvm.onJwq(t), "thread " + t + " in " + running);
        }
        List<String> jdkRunning = names(jdk.line("alive-running "));
        long workers = running.stream().filter(ChildJvm::onJwq).count();
        assertTrue(workers <= 4L * Runtime.getRuntime().availableProcessors() + 4,
                "too many jwq workers: " + running);
        assertTrue(running.size() < jdkRunning.size(), running + " vs the JDK's " + jdkRunning);

        String summary = jwq.err().lines().filter(l -> l.startsWith("jwq-agent: ") && l.contains("call sites")).findFirst().orElseThrow();
        assertTrue(summary.startsWith("jwq-agent: 20 call sites and 0 subclasses rewritten, 20 executors created on jwq,"), summary);
        assertEquals(List.of(), ChildJvm.warnings(jwq));
    }

    /**
     * Method references to the factories ({@code Executors::newCachedThreadPool}) run on jwq too,
     * through a bridge the rewrite adds to the class; {@code newWorkStealingPool}'s is left alone
     * and the report says so. Before, all of them escaped the agent and its report.
     */
    @Test
    void methodReferencesToTheFactoriesAreRewritten() throws Exception {
        ChildJvm.Result jdk = ChildJvm.run("mode=off", "org.example.app.MethodReferences");
        ChildJvm.Result jwq = ChildJvm.run("report=true", "org.example.app.MethodReferences");
        assertEquals(0, jdk.exit(), jdk::toString);
        assertEquals(0, jwq.exit(), jwq::toString);
        List<String> executors = jwq.lines("executor ");
        assertEquals(5, executors.size(), jwq::toString);
        for (String line : executors) {
            String thread = line.substring(line.indexOf('[') + 1, line.length() - 1);
            assertEquals(!line.startsWith("stealing"), ChildJvm.onJwq(thread), line);
        }
        for (String line : jdk.lines("executor ")) {
            assertFalse(line.contains("jwq/"), "the control run (mode=off) used jwq: " + line);
        }
        String summary = jwq.err().lines().filter(l -> l.startsWith("jwq-agent: ") && l.contains("call sites")).findFirst().orElseThrow();
        assertTrue(summary.startsWith("jwq-agent: 4 call sites and 0 subclasses rewritten, 4 executors created on jwq,"), summary);
        assertTrue(summary.contains("Executors::newWorkStealingPool"), summary);
        assertEquals(List.of(), ChildJvm.warnings(jwq));
    }
}
