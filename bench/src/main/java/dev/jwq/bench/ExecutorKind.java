package dev.jwq.bench;

import benchapp.AppPools;
import dev.jwq.Workqueue;
import dev.jwq.Workqueues;
import dev.jwq.WqFlag;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every executor the benchmarks compare: the paths a jwq user gets, and the JDK executors they
 * replace. Each {@link #create} makes a fresh one. Sized kinds take their thread count (or
 * max_active) from the caller: ncpu for the tiny-task scenarios, 5 x ncpu for the blocking load.
 *
 * <p>The per-CPU and unbound workqueues name their flag explicitly, so a benchmark means the
 * same whichever kind {@code Workqueue.builder(name).build()} defaults to.
 */
public enum ExecutorKind {
    /** An unbound workqueue ({@code WqFlag.UNBOUND}), default max_active. */
    JWQ_UNBOUND("jwq-unbound") {
        @Override
        ExecutorService make(int n) {
            return Workqueue.builder("bench-unbound").flags(WqFlag.UNBOUND).build();
        }
    },
    /** A per-CPU workqueue ({@code WqFlag.PERCPU}), default max_active: items run on the caller's CPU. */
    JWQ_PERCPU("jwq-percpu") {
        @Override
        ExecutorService make(int n) {
            return Workqueue.builder("bench-percpu").flags(WqFlag.PERCPU).build();
        }
    },
    /** An ordered workqueue ({@code alloc_ordered_workqueue}): one item at a time, in order. */
    JWQ_ORDERED("jwq-ordered") {
        @Override
        ExecutorService make(int n) {
            return Workqueue.builder("bench-ordered").ordered().build();
        }
    },
    /** {@code Workqueues.newFixedThreadPool(n)}: the twin of {@code Executors.newFixedThreadPool}. */
    TWIN_FIXED("twin-fixed") {
        @Override
        ExecutorService make(int n) {
            return Workqueues.newFixedThreadPool(n);
        }
    },
    /** {@code Workqueues.newSingleThreadExecutor()}. */
    TWIN_SINGLE("twin-single") {
        @Override
        ExecutorService make(int n) {
            return Workqueues.newSingleThreadExecutor();
        }
    },
    /** {@code Workqueues.newCachedThreadPool()}. */
    TWIN_CACHED("twin-cached") {
        @Override
        ExecutorService make(int n) {
            return Workqueues.newCachedThreadPool();
        }
    },
    /**
     * {@code new ThreadPoolExecutor(n, n, 0, LinkedBlockingQueue)} made in {@link AppPools}, the one
     * class the agent is told to rewrite: only in a JVM started with the agent.
     */
    TPE_REWRITTEN("tpe-rewritten") {
        @Override
        ExecutorService make(int n) {
            return rewritten(label, AppPools.fixedThreadPool(n));
        }

        @Override
        public boolean needsAgent() {
            return true;
        }
    },
    /**
     * {@code Executors.newSingleThreadExecutor()} made in {@link AppPools}: under the agent an
     * ordered workqueue on the shared unbound pool; only in a JVM started with the agent.
     */
    TPE_REWRITTEN_SINGLE("tpe-rewritten-single") {
        @Override
        ExecutorService make(int n) {
            return rewritten(label, AppPools.singleThreadExecutor());
        }

        @Override
        public boolean needsAgent() {
            return true;
        }
    },
    /** {@code new ThreadPoolExecutor(n, n, 0, LinkedBlockingQueue)}, the JDK's own even under the agent. */
    TPE("tpe") {
        @Override
        ExecutorService make(int n) {
            ThreadPoolExecutor e = new ThreadPoolExecutor(n, n, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
            if (e.getClass() != ThreadPoolExecutor.class) { // the agent never rewrites dev.jwq.*: say so if it did
                e.shutdown();
                throw new IllegalStateException("tpe: expected the JDK's ThreadPoolExecutor, got " + e.getClass().getName());
            }
            return e;
        }
    },
    /** {@code new ForkJoinPool(n)}. */
    FJP("fjp") {
        @Override
        ExecutorService make(int n) {
            return new ForkJoinPool(n);
        }
    },
    /** {@code Executors.newSingleThreadExecutor()}. */
    SINGLE("single") {
        @Override
        ExecutorService make(int n) {
            return Executors.newSingleThreadExecutor();
        }
    },
    /** {@code Executors.newCachedThreadPool()}. */
    CACHED("cached") {
        @Override
        ExecutorService make(int n) {
            return Executors.newCachedThreadPool();
        }
    },
    /** {@code Executors.newVirtualThreadPerTaskExecutor()}: a new virtual thread per task. */
    VIRTUAL("virtual") {
        @Override
        ExecutorService make(int n) {
            return Executors.newVirtualThreadPerTaskExecutor();
        }
    };

    /**
     * {@code e}, made in {@link AppPools}, if the agent rewrote it; else it is shut down and the
     * fork fails, saying how to attach the agent.
     */
    private static ExecutorService rewritten(String label, ExecutorService e) {
        if (e.getClass().getName().startsWith("java.util.concurrent.")) {
            e.shutdown();
            throw new IllegalStateException(label + ": " + AppPools.class.getName() + " made the JDK's "
                    + e.getClass().getName() + ", so the jwq agent is not attached: fork with "
                    + "-javaagent:agent/target/jwq-agent.jar=include=" + AppPools.class.getName() + " (bench/run.sh does)");
        }
        return e;
    }

    /** The name used in {@code @Param}, on the command line and in the tables. */
    public final String label;

    ExecutorKind(String label) {
        this.label = label;
    }

    abstract ExecutorService make(int n);

    /**
     * A fresh executor of this kind; {@code n} is the thread count or max_active of the sized
     * kinds (fixed pools, ForkJoinPool) and ignored by the others.
     */
    public ExecutorService create(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException(label + ": size must be positive, was " + n);
        }
        return make(n);
    }

    /** Whether this kind exists only in a JVM started with the jwq agent. */
    public boolean needsAgent() {
        return false;
    }

    /** The kind called {@code label}. */
    public static ExecutorKind byLabel(String label) {
        for (ExecutorKind k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown executor '" + label + "'; known: "
                + Arrays.stream(values()).map(k -> k.label).toList());
    }
}
