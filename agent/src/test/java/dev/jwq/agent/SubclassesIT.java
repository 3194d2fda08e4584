package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Classes extending ThreadPoolExecutor and ScheduledThreadPoolExecutor, in a child JVM with the
 * agent and without: the rewritten ones run on jwq with every hook called as the JDK calls it,
 * those whose threads mean something keep them, and the report says exactly that.
 */
class SubclassesIT {
    private static final String MARKED = "org.example.app.Subclasses$MarkedThread";

    @Test
    void subclassesRunOnJwqWithTheirHooksAndMarkedThreadsAreKept() throws Exception {
        ChildJvm.Result jwq = ChildJvm.run("report=true", "org.example.app.Subclasses");
        ChildJvm.Result jdk = ChildJvm.run("mode=off", "org.example.app.Subclasses");
        assertEquals(0, jwq.exit(), jwq::toString);
        assertEquals(0, jdk.exit(), jdk::toString);

        for (String rewritten : List.of("anonymous", "named", "anonymous-scheduler", "scheduler")) {
            assertTrue(jwq.line(rewritten + " ").startsWith("jwq "), rewritten + ": " + jwq);
            assertTrue(!jdk.line(rewritten + " ").startsWith("jwq "), "the control: " + jdk);
        }
        assertEquals("marked " + MARKED, jwq.line("marked-pool "), jwq::toString);
        assertEquals("marked " + MARKED, jwq.line("marked-single "), jwq::toString);
        assertEquals(jdk.line("marked-pool "), jwq.line("marked-pool "));

        // The same hooks, in the same order, as on the JDK's executors.
        assertEquals("[anonymous execute, anonymous before true, named before, named after, named terminated,"
                + " anonymous-scheduler before, scheduler decorate, scheduler after]", jwq.line("hooks "), jwq::toString);
        assertEquals(jdk.line("hooks "), jwq.line("hooks "));

        String summary = jwq.err().lines().filter(l -> l.startsWith("jwq-agent: ") && l.contains("rewritten")).findFirst()
                .orElseThrow(() -> new AssertionError(jwq.toString()));
        assertTrue(summary.matches("jwq-agent: 1 call sites and 5 subclasses rewritten, 4 executors created on jwq,"
                + " \\d+ threads not started; left alone: 2 \\(Executors.newSingleThreadExecutor with ThreadFactory making "
                + "\\Q" + MARKED + "\\E threads: 1; new org.example.app.Subclasses\\$MarkedPool \\(extends ThreadPoolExecutor\\)"
                + " with ThreadFactory making \\Q" + MARKED + "\\E threads: 1\\)"), summary);
        assertEquals(List.of(), ChildJvm.warnings(jwq));
    }

    /**
     * The thread name a task sees keeps its executor's identity (the factory's name without its
     * counter, or the call site for the JDK's default factory) with the jwq worker's after it;
     * the worker gets its own name back after each task; names=false leaves the worker's name.
     */
    @Test
    void tasksSeeTheirExecutorsNameOnTheWorker() throws Exception {
        ChildJvm.Result r = ChildJvm.run("", "org.example.app.TaskThreadNamesApp");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.line("named ").matches("okhttp-worker@jwq/u\\d+:\\d+"), r::toString);
        assertTrue(r.line("plain ").matches("TaskThreadNamesApp\\.main:\\d+@jwq/u\\d+:\\d+"), r::toString);
        assertTrue(r.line("scheduled ").matches("RxCachedThreadScheduler@jwq/u\\d+:\\d+"), r::toString);
        assertTrue(r.line("after-rename ").matches("TaskThreadNamesApp\\.main:\\d+@jwq/u\\d+:\\d+"), r::toString);
        assertTrue(r.line("worker-after ").matches("jwq/u\\d+:\\d+"), r::toString);

        ChildJvm.Result off = ChildJvm.run("names=false", "org.example.app.TaskThreadNamesApp");
        assertTrue(off.line("named ").matches("jwq/u\\d+:\\d+"), off::toString);
        ChildJvm.Result jdk = ChildJvm.run("mode=off", "org.example.app.TaskThreadNamesApp");
        assertEquals("okhttp-worker-1", jdk.line("named "), "the control: the factory's own thread " + jdk);
    }
}
