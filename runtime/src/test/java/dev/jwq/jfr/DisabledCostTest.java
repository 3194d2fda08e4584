package dev.jwq.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With no recording, the tracepoints allocate nothing: the engine calls them for every item.
 * The first round may allocate for class loading and initialisation, so the loop runs in
 * rounds until one allocates zero bytes; if the facade allocated on every call (an event
 * created before the gate, an eager name lookup), no round would.
 */
class DisabledCostTest {
    static final int CALLS_PER_ROUND = 200_000;
    static final int MAX_ROUNDS = 3;

    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static final class Task implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void everyTracepointAllocatesNothingWhileNoRecordingRuns() {
        assertTrue(jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings().stream()
                .noneMatch(r -> r.getState() == jdk.jfr.RecordingState.RUNNING), "a recording is running");
        List<Long> perRound = new ArrayList<>();
        long sink = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            sink += callEveryTracepoint(CALLS_PER_ROUND);
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            perRound.add(allocated);
            if (allocated == 0) {
                break;
            }
        }
        assertEquals(0L, sink, "queueStamp() chose an item or executeStart() began an event without a recording");
        assertEquals(0L, perRound.get(perRound.size() - 1),
                "bytes allocated per round of " + CALLS_PER_ROUND + " calls: " + perRound + " (" + sink + ")");
    }

    private static long callEveryTracepoint(int n) {
        long started = 0;
        for (int i = 0; i < n; i++) {
            Tracepoints.queueWork("events", Task.class, -1, 0, 0, false);
            Tracepoints.activateWork("events", Task.class, 0, i);
            long stamp = Tracepoints.queueStamp();
            started += stamp; // 0 without a recording: no clock read
            WorkExecution e = Tracepoints.executeStart(stamp);
            if (e != null) {
                started++;
            }
            Tracepoints.executeEnd(e, "events", Task.class, 0, "jwq/0:0", false, null);
            WorkerSleeping s = Tracepoints.workerSleeping(SleepDetection.SAMPLER);
            Tracepoints.workerRunning(s, 0, "jwq/0:0");
            Tracepoints.workerCreated(0, "jwq/0:1", 2);
            Tracepoints.workerRetired(0, "jwq/0:1", 1);
            Tracepoints.mayday("events", 0, Task.class);
            Tracepoints.rescue("events", 0, 1);
        }
        return started;
    }
}
