package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The blocking hooks feed concurrency management (needs the runtime's WorkerBlocking handler). */
class BlockingHooksIT {
    @Test
    void itemsParkedOnALatchReleasedByALaterItemAllFinishWithTheSamplerOff() throws Exception {
        ChildJvm.Result r = ChildJvm.run("hooks=true", List.of("-Djwq.blockingSampler=false"),
                ChildJvm.applicationClassPath(), "org.example.app.ParkOnLatch", "60", "needs-handler");
        assertEquals(0, r.exit(), r::toString);
        assumeTrue(r.line("handler ").equals("true"),
                "the runtime installs no WorkerBlocking handler yet: nothing for the hooks to call");
        assertEquals(List.of(), ChildJvm.warnings(r));
        assertEquals("true", r.line("finished ").split(" ")[0], r::toString);
    }

    @Test
    void parkSleepWaitAndJoinEachReportOneSleepingRunningPair() throws Exception {
        ChildJvm.Result hooked = ChildJvm.run("hooks=true", "org.example.app.HookProbe", "wait-for-hooks");
        assertEquals(0, hooked.exit(), hooked::toString);
        assertEquals("true", hooked.line("hooks-active "), hooked::toString);
        assertEquals(List.of("park 1/1", "sleep 1/1", "wait 1/1", "join 1/1", "interrupted-sleep 1/1", "none 0/0"),
                hooked.lines("hook "), hooked::toString);
        assertEquals(List.of(), ChildJvm.warnings(hooked));

        ChildJvm.Result plain = ChildJvm.run("hooks=false", "org.example.app.HookProbe");
        assertEquals("false", plain.line("hooks-active "), plain::toString);
        assertEquals(List.of("park 0/0", "sleep 0/0", "wait 0/0", "join 0/0", "interrupted-sleep 0/0", "none 0/0"),
                plain.lines("hook "), plain::toString);
    }

    /**
     * Four pairs of tasks on one pool hand tokens back and forth 100,000 times each through
     * SynchronousQueues, parking each time. The hooks' bookkeeping (the runtime taking its pool lock) must never use up the
     * permit that the partner's unpark left for the park being reported: one lost wake-up and
     * both tasks wait forever.
     */
    @Test
    void parkHeavyHandOffsBetweenWorkersNeverLoseAWakeUp() throws Exception {
        ChildJvm.Result r = ChildJvm.run("hooks=true", List.of("-Djwq.blockingSampler=false", PLATFORM_WORKERS),
                ChildJvm.applicationClassPath(), "org.example.bench.ParkHeavy", "check");
        assertEquals(0, r.exit(), r::toString);
        assumeTrue(r.line("handler ").equals("true"), "the runtime installs no WorkerBlocking handler yet");
        assertEquals(4, r.lines("handoff-workers ").size(), r::toString);
    }

    /**
     * The control: on platform workers, without the hooks (and the sampler) the same items
     * deadlock, so the test above can fail.
     */
    @Test
    void withoutTheHooksTheSameItemsStall() throws Exception {
        ChildJvm.Result r = ChildJvm.run("hooks=false", List.of("-Djwq.blockingSampler=false", PLATFORM_WORKERS),
                ChildJvm.applicationClassPath(), "org.example.app.ParkOnLatch", "2");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("false", r.line("finished ").split(" ")[0], r::toString);
    }

    /**
     * Virtual workers (the agent opens java.lang, so the runtime's default under the agent) need
     * no hooks: their carriers see each park, and the same items finish.
     */
    @Test
    void virtualWorkersFinishTheSameItemsWithoutTheHooks() throws Exception {
        ChildJvm.Result r = ChildJvm.run("hooks=false", List.of("-Djwq.blockingSampler=false", "-Djwq.workers=virtual"),
                ChildJvm.applicationClassPath(), "org.example.app.ParkOnLatch", "2");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("true", r.line("finished ").split(" ")[0], r::toString);
    }

    /**
     * The hooks are how platform workers learn of blocking; under the agent the runtime would
     * otherwise run virtual workers on carriers, which learn of it without them.
     */
    private static final String PLATFORM_WORKERS = "-Djwq.workers=platform";
}
