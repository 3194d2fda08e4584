package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** mode=observe and report=true, in child JVMs. */
class ObserveAndReportIT {
    @Test
    void observeModeRecordsEachTaskAndLeavesQueuesAndTasksAsTheyWere() throws Exception {
        ChildJvm.Result r = ChildJvm.run("mode=observe", "org.example.app.ObservedPools");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("[1, 2, 3]", r.line("order "), r::toString);
        assertEquals("[removed=true, shutdownNow-returns-original=true, thread=main]", r.line("notes "));
        // blocker, 1, 2, 3 of the first pool and the second pool's blocker: five tasks, all Jobs
        assertEquals("5 [org.example.app.ObservedPools$Job]", r.line("events "), r::toString);
        assertEquals(List.of(), ChildJvm.warnings(r));

        ChildJvm.Result off = ChildJvm.run("mode=off", "org.example.app.ObservedPools");
        assertEquals("0 []", off.line("events "), "the control: no agent, no events");
    }

    @Test
    void reportModeEmitsOneEventPerRewrittenExecutorAndSaysWhatItLeftAlone() throws Exception {
        ChildJvm.Result r = ChildJvm.run("report=true", "org.example.app.ReportedPools");
        assertEquals(0, r.exit(), r::toString);
        String site = "ReportedPools.lambda$main$0:" + r.line("line ");
        assertEquals(List.of("org.example.app." + site + " Executors.newFixedThreadPool " + site), r.lines("event "), r::toString);
        String summary = r.err().lines().filter(l -> l.startsWith("jwq-agent: ") && l.contains("call sites")).findFirst().orElseThrow();
        assertEquals("jwq-agent: 2 call sites and 0 subclasses rewritten, 1 executors created on jwq, 1 threads not started; left alone: 2"
                + " (Executors.newWorkStealingPool cast to ForkJoinPool: 1;"
                + " new ThreadPoolExecutor with queue org.example.app.ReportedPools$OwnQueue: 1)", summary);
    }
}
