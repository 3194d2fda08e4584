package dev.jwq.jfr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;

/**
 * While a recording runs with jwq.jfc (WorkQueued and WorkActivated off, WorkExecution sampled),
 * the checks the engine makes for every item allocate nothing, from the first calls on: before,
 * each created an event to ask {@code isEnabled()}, which only C2's escape analysis removed, and
 * only where it inlined the check, so an agent's run allocated one to three events per item.
 * One warm-up call loads and initialises the classes; the next round is measured as it runs
 * (interpreted at first), so an event created per call shows: 5,000 of them would be tens of
 * kilobytes. Less than a byte per call is allowed: the JIT, deoptimising the loop it compiled
 * meanwhile, puts objects it had scalar-replaced on the heap once, a few hundred bytes counted
 * to this thread in some runs (208 and 424 seen, with or without events per call).
 */
class RecordingCostTest {
    static final int CALLS = 5_000;

    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void perItemChecksAllocateNothingUnderJwqJfc() throws Exception {
        try (Recording r = new Recording(JfrTestSupport.jwqJfc())) {
            r.start();
            long sink = calls(1);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            sink += calls(CALLS);
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < CALLS, allocated + " bytes allocated by " + CALLS + " rounds of the per-item checks ("
                    + sink + "): not one object per call");
            r.stop();
        }
    }

    /** What the engine asks per item: is WorkQueued on, is WorkActivated on (through the inactive stamp), is this item sampled. */
    private static long calls(int n) {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            if (Tracepoints.queueWorkEnabled()) {
                sink++;
            }
            sink += Tracepoints.inactiveStamp();
            sink += Tracepoints.queueStamp() != 0 ? 1 : 0;
        }
        return sink;
    }
}
