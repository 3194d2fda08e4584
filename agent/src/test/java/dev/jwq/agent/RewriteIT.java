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

    /** {@code app} run with the agent off and with it (and its report); both exit 0, and the control run never touches jwq. */
    private record Runs(ChildJvm.Result jdk, ChildJvm.Result jwq) {
        static Runs of(String app) throws Exception {
            Runs r = new Runs(ChildJvm.run("mode=off", app), ChildJvm.run("report=true", app));
            assertEquals(0, r.jdk.exit(), r.jdk::toString);
            assertEquals(0, r.jwq.exit(), r.jwq::toString);
            for (String line : r.jdk.lines("executor ")) {
                assertFalse(line.contains("jwq/"), "the control run (mode=off) used jwq: " + line);
            }
            return r;
        }

        /** The report's summary line. */
        String summary() {
            return jwq.err().lines().filter(l -> l.startsWith("jwq-agent: ") && l.contains("call sites")).findFirst().orElseThrow();
        }
    }

    @Test
    void everyFactoryAndConstructorRunsOnJwqWithTheJdksShutdownSemantics() throws Exception {
        Runs runs = Runs.of("org.example.app.EveryFactory");
        ChildJvm.Result jdk = runs.jdk(), jwq = runs.jwq();

        List<String> executors = jwq.lines("executor ");
        assertEquals(20, executors.size(), jwq::toString);
        for (String line : executors) {
            String threads = line.substring(line.indexOf('[') + 1, line.length() - 1);
            for (String t : threads.split(", ")) {
                assertTrue(ChildJvm.onJwq(t), "task ran off jwq: " + line);
            }
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

        String summary = runs.summary();
        assertTrue(summary.startsWith("jwq-agent: 20 call sites and 0 subclasses rewritten, 20 executors created on jwq,"), summary);
        assertEquals(List.of(), ChildJvm.warnings(jwq));
    }

    /**
     * Method references to the factories ({@code Executors::newCachedThreadPool}) and the
     * constructors ({@code ThreadPoolExecutor::new}) run on jwq too, through a bridge the rewrite
     * adds to the class; {@code newWorkStealingPool}'s is left alone and the report says so, and
     * so is a serializable one, which must still deserialize (its class's
     * {@code $deserializeLambda$} knows only the factory). Before, all of them escaped the agent
     * and its report.
     */
    @Test
    void methodReferencesToTheFactoriesAreRewritten() throws Exception {
        Runs runs = Runs.of("org.example.app.MethodReferences");
        ChildJvm.Result jwq = runs.jwq();
        List<String> executors = jwq.lines("executor ");
        assertEquals(8, executors.size(), jwq::toString);
        for (String line : executors) {
            String thread = line.substring(line.indexOf('[') + 1, line.length() - 1);
            boolean leftAlone = line.startsWith("stealing") || line.startsWith("serializable");
            assertEquals(!leftAlone, ChildJvm.onJwq(thread), line);
        }
        String summary = runs.summary();
        assertTrue(summary.startsWith("jwq-agent: 6 call sites and 0 subclasses rewritten, 6 executors created on jwq,"), summary);
        assertTrue(summary.contains("Executors::newWorkStealingPool"), summary);
        assertTrue(summary.contains("Executors::newSingleThreadExecutor (a serializable method reference)"), summary);
        assertEquals(List.of(), ChildJvm.warnings(jwq));
    }
}
