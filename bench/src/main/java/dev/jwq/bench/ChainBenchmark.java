package dev.jwq.bench;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Chains (issue 11): one operation starts {@value #CHAINS} chains from outside the executor;
 * each step of a chain queues the next one from inside the executor's worker, {@value #STEPS}
 * steps per chain, so at most {@value #CHAINS} tasks are queued or running at once. The
 * operation ends when every chain's last step has run. JMH reports ns per step (lower is better).
 *
 * <p>A step touches only its own chain (one shared atomic per chain, at its end), so what is
 * measured is the executor's hand-off from a task to the task it queues.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ChainBenchmark.CHAINS * ChainBenchmark.STEPS)
public class ChainBenchmark extends Scenario {
    /** Chains per operation. */
    public static final int CHAINS = 100;
    /** Steps per chain. */
    public static final int STEPS = 1_000;

    @Benchmark
    public long chains(ExecutorState s) throws Exception {
        return run(s.exec, CHAINS, STEPS, s.executor);
    }

    /** Runs {@code chains} chains of {@code steps} steps on {@code exec}; returns when all have ended. */
    static long run(Executor exec, int chains, int steps, String label) throws Exception {
        Countdown ends = new Countdown(chains);
        for (int c = 0; c < chains; c++) {
            exec.execute(new Link(exec, ends, steps));
        }
        return ends.await(label);
    }

    /**
     * A chain: each run is one step, which queues the chain's next step before it returns. Only
     * one step of a chain is queued or running at a time, and queueing publishes {@code left} to
     * the next step (every executor orders a submission before the task's run), so a plain field
     * is enough.
     */
    static final class Link implements Runnable {
        private final Executor exec;
        private final Countdown ends;
        private int left;

        Link(Executor exec, Countdown ends, int steps) {
            if (steps <= 0) {
                throw new IllegalArgumentException("steps must be positive, was " + steps);
            }
            this.exec = exec;
            this.ends = ends;
            this.left = steps;
        }

        @Override
        public void run() {
            if (--left > 0) {
                exec.execute(this);
            } else {
                ends.run();
            }
        }
    }
}
