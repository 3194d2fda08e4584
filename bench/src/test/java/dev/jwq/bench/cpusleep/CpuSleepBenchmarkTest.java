package dev.jwq.bench.cpusleep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke runs of the cpu+sleep harness: it runs, counts every item, and reports each executor and submitter count. */
class CpuSleepBenchmarkTest {

    @Test
    void shortModeRunsEveryItemOnceOnEachExecutorFromEachSubmitterCount(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("runs.jsonl");
        Options o = Options.parse("--short", "--items", "100", "--cpu-us", "200", "--sleep-us", "800", "--submitters", "1,2",
                "--executors", "jwq-percpu,jwq-unbound-blocking,fjp-managed,virtual", "--json", json.toString());
        assertEquals(100, o.items());
        assertEquals(0, o.warmups());
        assertEquals(1, o.runs());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<Summary> summaries = CpuSleepBenchmark.run(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);

        List<Executor> executors = List.of(Executor.JWQ_PERCPU, Executor.JWQ_UNBOUND_BLOCKING, Executor.FJP_MANAGED, Executor.VIRTUAL);
        assertEquals(executors.size() * 2, summaries.size());
        int ncpu = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < summaries.size(); i++) {
            Summary s = summaries.get(i);
            assertEquals(executors.get(i % executors.size()), s.executor());
            assertEquals(i < executors.size() ? 1 : 2, s.submitters());
            String label = s.executor().label + "/" + s.submitters();
            assertEquals(1, s.runs().size(), label);
            RunResult r = s.runs().get(0);
            // Run.execute fails unless each of the 100 items ran exactly once; this checks it said so.
            assertEquals(100, r.items(), label);
            assertEquals(s.submitters(), r.submitters(), label);
            assertEquals(100L * 200_000 / ncpu, r.idealNanos(), label);
            assertTrue(r.workers() >= 1 && r.peakInFlight() >= 1, label + ": " + r);
            assertTrue(r.jvmPeakThreads() >= r.threadsAtStart(), label + ": " + r);
            assertTrue(out.contains("\n| " + s.executor().label + " | " + s.submitters() + " | **"), "no table row for " + label + ":\n" + out);
            // Platform-thread executors measure the burn on the thread's own CPU clock, so no run
            // can beat the CPU work spread over every core.
            if (s.executor() != Executor.VIRTUAL) {
                assertTrue(r.wallNanos() >= r.idealNanos(), label + " beat the ideal: " + r);
                assertTrue(r.peakInFlight() <= r.workers(), label + ": more items in flight than threads: " + r);
            }
        }
        List<String> lines = Files.readAllLines(json);
        assertEquals(summaries.size(), lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("{\"executor\":\"jwq-percpu\",\"submitters\":1,\"run\":1,"), lines.get(0));
        assertTrue(lines.get(lines.size() - 1).startsWith("{\"executor\":\"virtual\",\"submitters\":2,"), lines.get(lines.size() - 1));
    }

    @Test
    void defaultsLeaveOutWhatNeedsTheAgentAndWhatIsSlowByDesign() {
        Options o = Options.parse();
        assertTrue(o.executors().contains(Executor.JWQ_UNBOUND) && o.executors().contains(Executor.TPE_5NCPU), o.executors().toString());
        assertFalse(o.executors().contains(Executor.TPE_REWRITTEN_5NCPU), o.executors().toString());
        assertFalse(o.executors().contains(Executor.TPE_NCPU), o.executors().toString());
        int ncpu = Runtime.getRuntime().availableProcessors();
        assertEquals(ncpu == 1 ? List.of(1) : List.of(1, ncpu), o.submitters());
        assertEquals(List.of(3, ncpu), Options.parse("--submitters", "3,ncpu").submitters());
        assertEquals(o.items(), o.warmupItems());
        assertEquals(500, Options.parse("--warmup-items", "500").warmupItems());
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
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("--submitters", "0"))
                .getMessage().contains("--submitters must be positive"));
    }
}
