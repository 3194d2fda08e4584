package dev.jwq.bench.cpusleep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Smoke runs of the cpu+sleep harness: it runs, counts every item, and reports each executor. */
class CpuSleepBenchmarkTest {

    @Test
    void shortModeRunsEveryItemOnceOnEachExecutor() throws Exception {
        Options o = Options.parse("--short", "--items", "400", "--executors", "jwq-percpu,jwq-percpu-blocking,fjp-managed,virtual");
        assertEquals(400, o.items());
        assertEquals(0, o.warmups());
        assertEquals(1, o.runs());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<Summary> summaries = CpuSleepBenchmark.run(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);

        assertEquals(List.of(Executor.JWQ_PERCPU, Executor.JWQ_PERCPU_BLOCKING, Executor.FJP_MANAGED, Executor.VIRTUAL),
                summaries.stream().map(Summary::executor).toList());
        int ncpu = Runtime.getRuntime().availableProcessors();
        for (Summary s : summaries) {
            assertEquals(1, s.runs().size(), s.executor().label);
            RunResult r = s.runs().get(0);
            // Run.execute fails unless each of the 400 items ran exactly once; this checks it said so.
            assertEquals(400, r.items(), s.executor().label);
            assertEquals(400L * 1_000_000 / ncpu, r.idealNanos(), s.executor().label);
            assertTrue(r.workers() >= 1 && r.peakInFlight() >= 1, s.executor().label + ": " + r);
            assertTrue(r.jvmPeakThreads() >= r.threadsAtStart(), s.executor().label + ": " + r);
            assertTrue(out.contains("\n| " + s.executor().label + " | **"), "no table row for " + s.executor().label + ":\n" + out);
        }
        // Platform-thread executors measure the burn on the thread's own CPU clock, so no run can
        // beat the CPU work spread over every core.
        for (Summary s : summaries.subList(0, 3)) {
            RunResult r = s.runs().get(0);
            assertTrue(r.wallNanos() >= r.idealNanos(), s.executor().label + " beat the ideal: " + r);
            assertTrue(r.peakInFlight() <= r.workers(), s.executor().label + ": more items in flight than threads: " + r);
        }
    }

    @Test
    void badOptionsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("--executors", "jwq-percpu,nope"))
                .getMessage().contains("unknown executor 'nope'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("--items", "0"))
                .getMessage().contains("--items must be positive"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("--runs", "x"))
                .getMessage().contains("--runs needs a whole number, was 'x'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("--sleep-us"))
                .getMessage().contains("--sleep-us needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("--fast"))
                .getMessage().contains("unknown option '--fast'"));
    }

    @Test
    void cpuListsParseAsLinuxWritesThem() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 8, 10, 11}, UsableCpus.parse("0-3,8,10-11"));
        assertArrayEquals(new int[] {5}, UsableCpus.parse("5"));
        assertThrows(IllegalArgumentException.class, () -> UsableCpus.parse(""));
    }
}
