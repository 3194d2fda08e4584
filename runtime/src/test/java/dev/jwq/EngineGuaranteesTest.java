package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.jfr.EventNames;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantees 16-19 and 22 that need their own {@code jwq.*} settings: each runs an
 * {@link EngineScenarios} scenario in a child JVM. The controls run the same scenario with the
 * ingredient that makes the guarantee hold taken away, and must fail: they show the scenario
 * really forces the situation it claims to.
 */
class EngineGuaranteesTest {
    private static void passes(Class<?> scenario, String... jvmArgs) throws Exception {
        ChildJvm.Result r = ChildJvm.run(scenario, jvmArgs);
        assertEquals(0, r.exitCode(), scenario.getSimpleName() + " output:\n" + r.output());
    }

    private static void fails(Class<?> scenario, String... jvmArgs) throws Exception {
        ChildJvm.Result r = ChildJvm.run(scenario, jvmArgs);
        assertNotEquals(0, r.exitCode(), "control " + scenario.getSimpleName() + " must fail; output:\n" + r.output());
    }

    @Test
    void g16BlockedItemsLetOthersStartThroughTheExplicitApiAlone() throws Exception {
        passes(EngineScenarios.BlockedItemsExplicit.class, "-Djwq.blockingSampler=false");
    }

    @Test
    void g16BlockedItemsLetOthersStartThroughTheSpiAlone() throws Exception {
        passes(EngineScenarios.BlockedItemsHook.class, "-Djwq.blockingSampler=false");
    }

    @Test
    void g16BlockedItemsLetOthersStartOnCarriersAlone() throws Exception {
        passes(EngineScenarios.BlockedItemsOnCarriers.class, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Djwq.workers=virtual", "-Djwq.blockingSampler=false");
    }

    @Test
    void g16ControlTheSameBlockingOnPlatformWorkersWithoutSamplerStalls() throws Exception {
        fails(EngineScenarios.BlockedItemsOnCarriers.class, "-Djwq.workers=platform", "-Djwq.blockingSampler=false",
                "-Djwq.watchdogThreshold=0", "-Djwq.cpuIntensiveThreshold=0", "-Dscenario.waitS=3");
    }

    @Test
    void g16ControlUnreportedBlockingWithoutSamplerStalls() throws Exception {
        fails(EngineScenarios.BlockedItemsUnreported.class, "-Djwq.blockingSampler=false",
                "-Djwq.watchdogThreshold=0", "-Djwq.cpuIntensiveThreshold=0", "-Dscenario.waitS=3");
    }

    @Test
    void g16BlockedItemsLetOthersStartThroughTheSamplerAlone() throws Exception {
        passes(EngineScenarios.BlockedItemsUnreported.class);
    }

    @Test
    void g17CpuIntensiveItemsNeverHoldThePool() throws Exception {
        passes(EngineScenarios.CpuIntensiveDoesNotHoldThePool.class, "-Djwq.cpuIntensiveThreshold=0");
    }

    @Test
    void g17ControlAPlainSpinnerHoldsThePoolWithoutDetection() throws Exception {
        fails(EngineScenarios.CpuIntensiveDoesNotHoldThePool.class, "-Djwq.cpuIntensiveThreshold=0",
                "-Dscenario.plain=true", "-Dscenario.waitS=3");
    }

    @Test
    void g18MemReclaimWorkqueueProgressesWhenNoWorkerCanBeCreated(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("g18.jfr");
        passes(EngineScenarios.RescuerRunsWhenNoWorkerCanBeCreated.class, "-Djwq.maxWorkers=2", "-Dscenario.jfr=" + jfr);
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        EngineEventsTest.assertHas(events, EventNames.MAYDAY, e -> e.getString("workqueue").equals("reclaim"), "a mayday");
        EngineEventsTest.assertHas(events, EventNames.RESCUE, e -> e.getString("workqueue").equals("reclaim")
                && e.getInt("rescued") > 0, "a rescue");
        assertEquals(40, events.stream().filter(e -> e.getEventType().getName().equals(EventNames.RESCUE))
                .mapToInt(e -> e.getInt("rescued")).sum(), "every rescued item counted once");
        EngineEventsTest.assertHas(events, EventNames.WORKER_LIFECYCLE, e -> "creation failed".equals(e.getString("action")),
                "the refused creation");
    }

    @Test
    void g19SurplusIdleWorkersRetireAfterTheTimeoutOldestFirst() throws Exception {
        passes(EngineScenarios.IdleWorkersRetireOldestFirst.class, "-Djwq.idleTimeout=1500ms");
    }

    @Test
    void g22APoolLockHeldThroughoutIsReportedOnceWithItsHolder() throws Exception {
        passes(EngineScenarios.WatchdogReportsAPoolLockHeldThroughout.class, "-Djwq.watchdogThreshold=200ms",
                "-Djwq.blockingSampler=false", "-Djwq.cpuIntensiveThreshold=0");
    }

    @Test
    void g22AStallIsReportedOncePerStallWithADump(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("g22.jfr");
        passes(EngineScenarios.WatchdogReportsEachStallOnce.class, "-Djwq.watchdogThreshold=200ms",
                "-Djwq.blockingSampler=false", "-Djwq.cpuIntensiveThreshold=0", "-Dscenario.jfr=" + jfr);
        // The stalls of the scenario proper: a cold start of a pool during its warm-up may be
        // reported too (its dump names no StuckFunction). Two stalls of CPU 0's pool, each
        // followed by a stall of its high-priority pool that witnesses it was not reported twice.
        // The last witness's event may be committed after the scenario has ended: the witnesses
        // are only counted, at most one per stall.
        List<RecordedEvent> stalls = RecordingFile.readAllEvents(jfr).stream()
                .filter(e -> e.getEventType().getName().equals(EventNames.POOL_STALL))
                .filter(e -> e.getString("dump").contains("StuckFunction"))
                .sorted(Comparator.comparing(RecordedEvent::getStartTime)).toList();
        int stuck = stalls.get(0).getInt("pool");
        List<RecordedEvent> ours = stalls.stream().filter(e -> e.getInt("pool") == stuck).toList();
        List<RecordedEvent> witnesses = stalls.stream().filter(e -> e.getInt("pool") != stuck).toList();
        assertEquals(2, ours.size(), "one PoolStall event per stall of pool " + stuck + ": " + stalls);
        assertTrue(witnesses.size() <= 2 && witnesses.stream().map(e -> e.getInt("pool")).distinct().count() <= 1,
                "the witness stalls, once each: " + witnesses);
        for (RecordedEvent e : ours) {
            assertTrue(e.getDuration("stalledFor").toMillis() >= 200 && e.getInt("pending") >= 1, e.toString());
        }
    }
}
