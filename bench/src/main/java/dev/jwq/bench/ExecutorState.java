package dev.jwq.bench;

import java.util.concurrent.ExecutorService;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The executor under test, shared by the scenario benchmarks: a fresh one per trial (one trial
 * per fork), sized to the usable CPUs, shut down and awaited after the trial.
 *
 * <p>{@code tpe-rewritten} is not among the defaults: it needs the agent, so it is asked for by
 * name ({@code -p executor=tpe-rewritten}) in a fork that has it (bench/run.sh does both).
 */
@State(Scope.Benchmark)
public class ExecutorState {
    @Param({"jwq-unbound", "jwq-percpu", "jwq-ordered", "twin-fixed", "twin-single", "twin-cached",
            "tpe", "fjp", "single", "cached", "virtual"})
    public String executor;

    /** Usable CPUs: the size of the fixed pools and the ForkJoinPool. */
    public final int ncpu = Runtime.getRuntime().availableProcessors();

    /** The executor of this trial; set by {@link #setup()}. */
    public ExecutorService exec;

    @Setup(Level.Trial)
    public void setup() {
        exec = ExecutorKind.byLabel(executor).create(ncpu);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        ExecutorService e = exec;
        exec = null;
        if (e != null) {
            Shutdown.await(e, executor);
        }
    }
}
