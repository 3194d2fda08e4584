package dev.jwq.bench.cpusleep;

import dev.jwq.Work;
import dev.jwq.Workqueue;
import dev.jwq.WqFlag;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executors compared, each with the way its items sleep and the way submitters hand it work.
 * A fresh executor is made for every run, so no run inherits another's queue or counters (jwq's
 * worker pools are shared by design and outlive a workqueue, as a kernel's do).
 */
enum Executor {
    /** Per-CPU workqueue, plain sleep: blocking is learnt by jwq's sampler of thread states. */
    JWQ_PERCPU("jwq-percpu", SleepStyle.PLAIN) {
        @Override
        ExecutorService create(int ncpu) {
            return Workqueue.builder("bench-cpusleep-percpu").build();
        }
    },
    /** Per-CPU workqueue, sleep inside {@code Workqueues.blocking}. */
    JWQ_PERCPU_BLOCKING("jwq-percpu-blocking", SleepStyle.JWQ_BLOCKING) {
        @Override
        ExecutorService create(int ncpu) {
            return Workqueue.builder("bench-cpusleep-percpu-blocking").build();
        }
    },
    /** Unbound workqueue, sleep inside {@code Workqueues.blocking}: a reference. */
    JWQ_UNBOUND_BLOCKING("jwq-unbound-blocking", SleepStyle.JWQ_BLOCKING) {
        @Override
        ExecutorService create(int ncpu) {
            return Workqueue.builder("bench-cpusleep-unbound").flags(WqFlag.UNBOUND).build();
        }
    },
    TPE_NCPU("tpe-ncpu", SleepStyle.PLAIN) {
        @Override
        ExecutorService create(int ncpu) {
            return fixed(ncpu);
        }
    },
    TPE_5NCPU("tpe-5ncpu", SleepStyle.PLAIN) {
        @Override
        ExecutorService create(int ncpu) {
            return fixed(5 * ncpu);
        }
    },
    CACHED("cached", SleepStyle.PLAIN) {
        @Override
        ExecutorService create(int ncpu) {
            return Executors.newCachedThreadPool();
        }
    },
    FJP_MANAGED("fjp-managed", SleepStyle.MANAGED_BLOCK) {
        @Override
        ExecutorService create(int ncpu) {
            return new ForkJoinPool(ncpu);
        }
    },
    VIRTUAL("virtual", SleepStyle.PLAIN) {
        @Override
        ExecutorService create(int ncpu) {
            return Executors.newVirtualThreadPerTaskExecutor();
        }
    };

    /** The name used on the command line and in the tables. */
    final String label;
    /** How this executor's items sleep. */
    final SleepStyle sleep;

    Executor(String label, SleepStyle sleep) {
        this.label = label;
        this.sleep = sleep;
    }

    abstract ExecutorService create(int ncpu);

    /**
     * Hands {@code task} to {@code exec} from submitter thread {@code cpu}'s side. A per-CPU
     * workqueue queues on the submitter's own CPU, as Linux's {@code queue_work} does from a
     * thread running there: submitter i stands for a thread on usable CPU i, and queues there
     * with {@code queueOn} (the runtime cannot yet tell a plain thread's CPU). Every other
     * executor gets {@code execute}.
     */
    void submit(ExecutorService exec, int cpu, Runnable task) {
        if (exec instanceof Workqueue wq && !wq.flags().contains(WqFlag.UNBOUND)) {
            wq.queueOn(cpu, new Work(task));
        } else {
            exec.execute(task);
        }
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

    /** A fixed ThreadPoolExecutor of n threads, all started up front (as jwq's pools have workers ready). */
    private static ThreadPoolExecutor fixed(int n) {
        ThreadPoolExecutor tpe = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        tpe.prestartAllCoreThreads();
        return tpe;
    }
}
