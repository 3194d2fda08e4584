package dev.jwq.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Mixed load (issue 11): a single-thread executor's items while a busy pool runs other work
 * next to it, as a logger's or an event bus's executor runs in a loaded server. Under jwq the
 * two share one worker pool (an ordered workqueue's items wait among the busy workqueue's), under
 * the JDK each has its own threads and the OS shares the CPUs. Each {@code executor} comes with
 * the busy pool of its family ({@link #backgroundOf}): {@value #BACKGROUND_CHAINS_PER_CPU} x ncpu
 * chains of steps of about a microsecond of CPU each, queued from inside, kept running for the
 * whole trial.
 *
 * <p>One operation hands {@value #ITEMS} tiny items to the single-thread executor from the
 * benchmark thread and ends when the last has run: the primary score is ns per item (lower is
 * better). The secondary score {@code backgroundStep} is the wall time per background step over
 * the same operations (lower is better): an executor that starved the busy pool to serve the
 * single-thread one would show it there.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(MixedBenchmark.ITEMS)
public class MixedBenchmark extends Scenario {
    /** Items per operation. */
    public static final int ITEMS = 10_000;
    /** Background chains per usable CPU: enough that the busy pool always has an item waiting. */
    public static final int BACKGROUND_CHAINS_PER_CPU = 2;
    /** Blackhole tokens of CPU per background step (about a microsecond here). */
    static final long STEP_TOKENS = 400;

    /** The busy pool each single-thread executor shares the machine with: the same family's fixed-size pool. */
    static String backgroundOf(String executor) {
        return switch (executor) {
            case "jwq-ordered" -> "jwq-unbound";         // the default kind, on the same unbound pool
            case "twin-single" -> "twin-fixed";
            case "tpe-rewritten-single" -> "tpe-rewritten";
            case "single" -> "tpe";
            default -> throw new IllegalArgumentException("no background for '" + executor + "'");
        };
    }

    /** The single-thread executor and its busy neighbour, made and loaded once per trial. */
    @State(Scope.Benchmark)
    public static class Load {
        @Param({"jwq-ordered", "twin-single", "single"})
        public String executor;

        final int ncpu = Runtime.getRuntime().availableProcessors();
        ExecutorService single;
        ExecutorService busy;
        BackgroundChains chains;

        @Setup(Level.Trial)
        public void setup() {
            busy = ExecutorKind.byLabel(backgroundOf(executor)).create(ncpu);
            single = ExecutorKind.byLabel(executor).create(ncpu);
            chains = BackgroundChains.start(busy, BACKGROUND_CHAINS_PER_CPU * ncpu, STEP_TOKENS);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            chains.stop(backgroundOf(executor));
            Shutdown.await(single, executor);
            Shutdown.await(busy, backgroundOf(executor));
        }
    }

    /** The background's steps during the measured operations (JMH reports ns per step). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Background {
        public long backgroundStep;
    }

    @Benchmark
    public long items(Load load, Background background) throws Exception {
        long before = load.chains.steps();
        long missing = BurstBenchmark.fromHere(load.single, ITEMS, load.executor);
        background.backgroundStep += load.chains.steps() - before;
        return missing;
    }
}
