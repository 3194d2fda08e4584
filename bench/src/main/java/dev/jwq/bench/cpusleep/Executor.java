package dev.jwq.bench.cpusleep;

import dev.jwq.bench.ExecutorKind;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;

/**
 * The executors compared on the blocking load, each an {@link ExecutorKind} with a size and the
 * way its items sleep. A fresh executor is made for every run, so no run inherits another's
 * queue or counters (jwq's worker pools are shared by design and outlive a workqueue, as a
 * kernel's do). Every executor gets its items through {@code execute}, as a user's code would
 * hand them over: a per-CPU workqueue queues each on the pool of the CPU its submitter runs on.
 */
enum Executor {
    /** Unbound workqueue, plain sleep: what jwq learns of the blocking, it learns by itself. */
    JWQ_UNBOUND("jwq-unbound", ExecutorKind.JWQ_UNBOUND, 1, SleepStyle.PLAIN, true),
    /** Per-CPU workqueue, plain sleep. */
    JWQ_PERCPU("jwq-percpu", ExecutorKind.JWQ_PERCPU, 1, SleepStyle.PLAIN, true),
    /** Unbound workqueue, sleep inside {@code Workqueues.blocking}: the explicit call, for reference. */
    JWQ_UNBOUND_BLOCKING("jwq-unbound-blocking", ExecutorKind.JWQ_UNBOUND, 1, SleepStyle.JWQ_BLOCKING, true),
    /** Per-CPU workqueue, sleep inside {@code Workqueues.blocking}. */
    JWQ_PERCPU_BLOCKING("jwq-percpu-blocking", ExecutorKind.JWQ_PERCPU, 1, SleepStyle.JWQ_BLOCKING, true),
    /** {@code Workqueues.newFixedThreadPool(5 x ncpu)}, plain sleep: the twin of {@code tpe-5ncpu}. */
    TWIN_FIXED_5NCPU("twin-fixed-5ncpu", ExecutorKind.TWIN_FIXED, 5, SleepStyle.PLAIN, true),
    /** {@code Workqueues.newCachedThreadPool()}, plain sleep. */
    TWIN_CACHED("twin-cached", ExecutorKind.TWIN_CACHED, 1, SleepStyle.PLAIN, true),
    /** {@code new ThreadPoolExecutor(5 x ncpu, ...)} rewritten by the agent: only in a JVM started with it. */
    TPE_REWRITTEN_5NCPU("tpe-rewritten-5ncpu", ExecutorKind.TPE_REWRITTEN, 5, SleepStyle.PLAIN, false),
    /** {@code ThreadPoolExecutor(ncpu)}: 5 x the ideal by construction (two sleeping threads idle the cores), so not by default. */
    TPE_NCPU("tpe-ncpu", ExecutorKind.TPE, 1, SleepStyle.PLAIN, false),
    /** {@code ThreadPoolExecutor(5 x ncpu)}: the threads this load needs. */
    TPE_5NCPU("tpe-5ncpu", ExecutorKind.TPE, 5, SleepStyle.PLAIN, true),
    CACHED("cached", ExecutorKind.CACHED, 1, SleepStyle.PLAIN, true),
    /** {@code ForkJoinPool(ncpu)}, sleep inside {@code ForkJoinPool.managedBlock}: the pool may add spares. */
    FJP_MANAGED("fjp-managed", ExecutorKind.FJP, 1, SleepStyle.MANAGED_BLOCK, true),
    VIRTUAL("virtual", ExecutorKind.VIRTUAL, 1, SleepStyle.PLAIN, true);

    /** The name used on the command line and in the tables. */
    final String label;
    /** How this executor's items sleep. */
    final SleepStyle sleep;
    /** Whether a run without {@code --executors} includes it. */
    final boolean byDefault;
    private final ExecutorKind kind;
    private final int perCpu;

    Executor(String label, ExecutorKind kind, int perCpu, SleepStyle sleep, boolean byDefault) {
        this.label = label;
        this.kind = kind;
        this.perCpu = perCpu;
        this.sleep = sleep;
        this.byDefault = byDefault;
    }

    ExecutorService create(int ncpu) {
        return kind.create(perCpu * ncpu);
    }

    /** The executor called {@code label}. */
    static Executor byLabel(String label) {
        String l = label.trim().toLowerCase(Locale.ROOT);
        for (Executor e : values()) {
            if (e.label.equals(l)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown executor '" + label + "'; known: "
                + Arrays.stream(values()).map(e -> e.label).toList());
    }
}
