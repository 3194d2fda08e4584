package dev.jwq.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Bursts (issue 11): one operation hands {@value #TASKS} tiny tasks to the executor from outside
 * it and ends when the last has run. Each task decrements one shared counter ({@link Countdown}),
 * the same for every executor. JMH reports ns per task (lower is better).
 *
 * <ul>
 *   <li>{@link #oneSubmitter}: the benchmark thread submits every task, then waits;
 *   <li>{@link #twoSubmitters}: two dedicated platform threads submit half each; the benchmark
 *       thread releases them and waits.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(BurstBenchmark.TASKS)
public class BurstBenchmark extends Scenario {
    /** Tasks per operation. */
    public static final int TASKS = 1_000_000;

    /** The two submitter threads of {@link #twoSubmitters}, started once per trial. */
    @State(Scope.Benchmark)
    public static class TwoThreads {
        Submitters submitters;

        @Setup(Level.Trial)
        public void start() {
            submitters = new Submitters(2);
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            submitters.close();
        }
    }

    @Benchmark
    public long oneSubmitter(ExecutorState s) throws Exception {
        return fromHere(s.exec, TASKS, s.executor);
    }

    @Benchmark
    public long twoSubmitters(ExecutorState s, TwoThreads two) throws Exception {
        return fromSubmitters(two.submitters, s.exec, TASKS, s.executor);
    }

    /** {@code tasks} tasks submitted by the calling thread; returns when all have run. */
    static long fromHere(ExecutorService exec, int tasks, String label) throws Exception {
        Countdown c = new Countdown(tasks);
        for (int i = 0; i < tasks; i++) {
            exec.execute(c);
        }
        return c.await(label);
    }

    /** {@code tasks} tasks submitted by {@code submitters}; returns when all have run. */
    static long fromSubmitters(Submitters submitters, ExecutorService exec, int tasks, String label) throws Exception {
        Countdown c = new Countdown(tasks);
        submitters.submit(exec, c, tasks);
        return c.await(label);
    }
}
