package dev.jwq.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.samples.sprawl.SprawlApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every sample runs in its short mode in a child JVM, as a user would run it, and must exit 0
 * and say what it demonstrated; the samples check their own claims and exit non-zero when a
 * claim did not hold, so a broken guarantee fails here.
 */
class SamplesTest {
    @TempDir
    Path dir;

    private record Run(int exit, String output) {}

    /** Runs {@code main} of {@code sample} in a child JVM on this test's class path. */
    private Run run(Class<?> sample, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.addAll(jvmOptions);
        // Surefire may hide the class path in a manifest-only jar; it publishes the real one here.
        cmd.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                sample.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve(sample.getSimpleName() + ".out");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // Sprawl starts a JVM per run
            p.destroyForcibly().waitFor();
            throw new AssertionError(sample.getSimpleName() + " did not finish within 90 s:\n" + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out));
    }

    private static void assertDemonstrated(Run r, String... claims) {
        assertEquals(0, r.exit, () -> "exit code; output:\n" + r.output);
        for (String claim : claims) {
            assertTrue(r.output.contains(claim), () -> "missing '" + claim + "' in:\n" + r.output);
        }
        assertTrue(!r.output.contains("NO:") && !r.output.contains("PROBLEM:"), () -> "a claim failed:\n" + r.output);
    }

    @Test
    void sprawlServesEveryRequestOnFewerThreadsWithJwq() throws Exception {
        Run r = run(Sprawl.class, List.of(), "--short", "--out", dir.toString());
        assertDemonstrated(r, "live Java threads (peak)", "of which the Java heap (MB)", "heap allocated per request (KB)",
                "CPU per request (ms, all threads)", "of it, JIT compiling while measured (s)",
                "Both runs recorded JFR with the same settings", "Yes: both runs served all 2500 requests",
                "Yes: with jwq, the same 16 executors");
        assertTrue(Files.size(dir.resolve("sprawl-jwq.jfr")) > 0, "the jwq run's recording");
    }

    @Test
    void blkMqCompletesEveryRequestDespiteBusy() throws Exception {
        assertDemonstrated(run(BlkMq.class, List.of(), "--short"),
                "requests served          4000 of 4000 (completed twice: 0)", "Yes: every request completed exactly once");
    }

    @Test
    void blockingKeepsCpusBusyWithFewThreads() throws Exception {
        assertDemonstrated(run(Blocking.class, List.of(), "--short"),
                "Yes: every item got the right answer", "Yes: while items blocked, jwq started others", "Yes: jwq ran them on");
    }

    @Test
    void observeRecordsEveryKindOfEventAndTheStallRuleFindsTheStall() throws Exception {
        Run r = run(Observe.class, List.of(), "--short", "--out", dir.toString());
        assertDemonstrated(r, "dev.jwq.PoolStall", "jwq.WorkqueueStall     WARNING",
                "Yes: every kind of event above was recorded", "Yes: the stall rule flags the pool");
    }

    @Test
    void hundredWorkqueuesRunsOnFewThreads() throws Exception {
        assertDemonstrated(run(HundredWorkqueues.class, List.of(), "20"), "OK: jwq ran all 2000 items");
    }

    @Test
    void badInputStopsWithAMessageNamingIt() throws Exception {
        Run unknown = run(Sprawl.class, List.of(), "--fast");
        assertNotEquals(0, unknown.exit);
        assertTrue(unknown.output.contains("unknown argument --fast"), unknown.output);
        Run kind = run(SprawlApp.class, List.of("-Dsprawl.executors=loom"), "--requests", "10");
        assertNotEquals(0, kind.exit);
        assertTrue(kind.output.contains("sprawl.executors=loom is neither jdk nor jwq"), kind.output);
    }
}
