package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A worker that pins its carrier (it parks inside a class initialiser, where a virtual thread
 * cannot unmount) gets a compensating carrier, and the other items of its CPU run: through the
 * engine, on virtual workers, with no sampler, agent or explicit call. The platform-worker
 * control shows the same items need something to tell the pool (there: nothing does, and B
 * waits until A gives up), so the first test can fail.
 */
class PinnedCarrierTest {

    @Test
    void aCarrierPinnedInAClassInitialiserIsCompensatedAndItsCpuGoesOn() throws Exception {
        ChildJvm.Result r = ChildJvm.run(PinnedCarrierChild.class, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Djwq.workers=virtual", "-Djwq.blockingSampler=false");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("B ran") && r.output().contains("A ended"), r.output());
    }

    @Test
    void controlOnPlatformWorkersWithNothingToTellThePoolBWaits() throws Exception {
        ChildJvm.Result r = ChildJvm.run(PinnedCarrierChild.class, "--enable-native-access=ALL-UNNAMED",
                "-Djwq.workers=platform", "-Djwq.blockingSampler=false", "-Dpinned.waitS=3");
        // A's wait timed out without seeing B: B could not run beside it (it may run once A gave up).
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("A did not end after B"), r.output());
    }
}
