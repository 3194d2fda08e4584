package dev.jwq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/**
 * The scenario benchmarks' setup, one small operation and teardown for every executor they
 * offer, with no measurement: a broken executor kind, a lost task or a stuck teardown fails the
 * build here rather than an hour into a benchmark run.
 */
class ScenarioSmokeTest {

    /** The executors {@code @Param} offers by default, read from the annotation itself. */
    static List<String> defaultExecutors() throws NoSuchFieldException {
        return List.of(ExecutorState.class.getField("executor").getAnnotation(Param.class).value());
    }

    @Test
    void theDefaultsAreEveryKindThatNeedsNoAgent() throws Exception {
        List<String> expected = Arrays.stream(ExecutorKind.values()).filter(k -> !k.needsAgent()).map(k -> k.label).toList();
        assertEquals(expected, defaultExecutors());
    }

    @Test
    void everyScenarioRunsOnEveryDefaultExecutor() throws Exception {
        List<String> done = new ArrayList<>();
        for (String label : defaultExecutors()) {
            runScenarios(label);
            done.add(label);
        }
        assertEquals(defaultExecutors(), done);
    }

    /** Setup, one small operation of each scenario, teardown; shared with {@link AgentSmokeMain}. */
    static void runScenarios(String label) throws Exception {
        ExecutorState s = new ExecutorState();
        s.executor = label;
        s.setup();
        ExecutorService exec = s.exec;
        try {
            assertEquals(0, BurstBenchmark.fromHere(exec, 2_000, label), label);
            BurstBenchmark.TwoThreads two = new BurstBenchmark.TwoThreads();
            two.start();
            try {
                assertEquals(0, BurstBenchmark.fromSubmitters(two.submitters, exec, 2_001, label), label);
            } finally {
                two.stop();
            }
            assertEquals(0, ChainBenchmark.run(exec, 10, 50, label), label);
            try (EchoServer echo = EchoServer.start(SocketBenchmark.MANY_TASKS)) {
                assertEquals(0, SocketBenchmark.run(exec, echo, SocketBenchmark.TASKS, 20, label), label);
                assertEquals(0, SocketBenchmark.run(exec, echo, SocketBenchmark.MANY_TASKS, 20, label), label);
            }
            LatencyBenchmark lat = new LatencyBenchmark();
            lat.rate = 100_000;
            lat.setupTrial();
            for (int iteration = 0; iteration < 2; iteration++) { // a warm-up, then a measured one
                lat.startIteration();
                for (int i = 0; i < 100; i++) {
                    lat.submit(s);
                }
                lat.endIteration(label, iteration == 1);
            }
            assertEquals(100, lat.measuredSamples(), label);
            String summary = lat.summary(label, true);
            assertTrue(summary.startsWith("{\"executor\":\"" + label + "\",\"rate\":100000,\"samples\":100,\"p50_us\":"), summary);
            assertTrue(summary.contains(",\"hdr\":\"") && !lat.summary(label, false).contains("hdr"), summary);
        } finally {
            s.tearDown();
        }
        assertTrue(exec.isTerminated(), label + " not terminated after teardown");
        assertNull(s.exec, label);
    }

    @Test
    void theRewrittenPoolWithoutTheAgentSaysHowToGetIt() {
        ExecutorState s = new ExecutorState();
        s.executor = "tpe-rewritten";
        IllegalStateException e = assertThrows(IllegalStateException.class, s::setup);
        assertTrue(e.getMessage().contains("-javaagent:agent/target/jwq-agent.jar=include=benchapp.AppPools"), e.getMessage());
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class, () -> ExecutorKind.byLabel("tpe2"));
        assertTrue(u.getMessage().contains("unknown executor 'tpe2'"), u.getMessage());
    }

    /**
     * Under the agent, with only {@code benchapp.AppPools} included, as bench/run.sh forks it:
     * the rewritten pool and the plain one live in the same JVM and both run every scenario.
     * Needs the agent jar, which the reactor builds before this module ({@code mvn verify}).
     */
    @Test
    void underTheAgentTheRewrittenAndThePlainPoolRunEveryScenario() throws Exception {
        String jar = System.getProperty("jwq.agent.jar");
        assumeTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "the agent jar is not built (" + jar + "): build with the agent module, e.g. mvn verify -pl bench,agent -am");
        Path out = Files.createTempFile("jwq-bench-agent", ".out");
        try {
            List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(),
                    "-javaagent:" + jar + "=include=benchapp.AppPools", "-XX:TieredStopAtLevel=1",
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    AgentSmokeMain.class.getName(), "tpe-rewritten", "tpe");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("child JVM under the agent did not finish in 90 s:\n" + read(out));
            }
            String text = read(out);
            assertEquals(0, p.exitValue(), text);
            assertTrue(text.contains("ok tpe-rewritten dev.jwq.agent.boot.JwqThreadPoolExecutor\n"), text);
            assertTrue(text.contains("ok tpe java.util.concurrent.ThreadPoolExecutor\n"), text);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
