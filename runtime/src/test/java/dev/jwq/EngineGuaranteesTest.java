package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

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
    void g18MemReclaimWorkqueueProgressesWhenNoWorkerCanBeCreated() throws Exception {
        passes(EngineScenarios.RescuerRunsWhenNoWorkerCanBeCreated.class, "-Djwq.maxWorkers=2");
    }

    @Test
    void g19SurplusIdleWorkersRetireAfterTheTimeoutOldestFirst() throws Exception {
        passes(EngineScenarios.IdleWorkersRetireOldestFirst.class, "-Djwq.idleTimeout=1500ms");
    }

    @Test
    void g22AStallIsReportedOncePerStallWithADump() throws Exception {
        passes(EngineScenarios.WatchdogReportsEachStallOnce.class, "-Djwq.watchdogThreshold=200ms",
                "-Djwq.blockingSampler=false", "-Djwq.cpuIntensiveThreshold=0");
    }
}
