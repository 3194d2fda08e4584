package dev.jwq.bench;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * An executor's whole life, one operation: made, one tiny task submitted and its result awaited,
 * closed ({@code ExecutorService.close()}: shut down and awaited). The path of an executor per
 * request or per batch, of try-with-resources, of tests and command-line tools. JMH reports us per
 * executor (lower is better). Session 42 found that path at 5-10x the JDK's pools' cost under the
 * agent, and leaking a carrier thread or two per executor (bench/README.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class LifecycleBenchmark extends Scenario {
    private static final Callable<Integer> ONE = () -> 1;

    /** As {@link ExecutorState}'s; {@code tpe-rewritten} by name in a fork with the agent. */
    @Param({"jwq-unbound", "jwq-percpu", "jwq-ordered", "twin-fixed", "twin-single", "twin-cached",
            "tpe", "fjp", "single", "cached", "virtual"})
    public String executor;

    private final int ncpu = Runtime.getRuntime().availableProcessors();
    private ExecutorKind kind;

    @Setup
    public void setup() {
        kind = ExecutorKind.byLabel(executor);
    }

    @Benchmark
    public int makeUseClose() throws Exception {
        ExecutorService e = kind.create(ncpu);
        try {
            return e.submit(ONE).get();
        } finally {
            e.close();
        }
    }
}
