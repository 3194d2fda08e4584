package dev.jwq.tool;

import dev.jwq.Work;
import dev.jwq.Workqueue;
import dev.jwq.WqFlag;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A program with two lambdas of one class that hog the CPU, queued alternately on one CPU of a
 * per-CPU workqueue: {@link FunctionNamesEndToEndTest} checks that they are two functions everywhere
 * a user meets them.
 */
public final class TwoLambdas {
    /** Items of each lambda: the first few hogs of each are counted before any warning. */
    static final int ITEMS = 8;
    /** CPU time each item uses, three times the CPU-intensive threshold. */
    static final long CPU_NANOS = 30_000_000;

    private TwoLambdas() {
    }

    public static void main(String[] args) {
        try (Workqueue wq = Workqueue.builder("hogs").flags(WqFlag.PERCPU).build()) {
            // All on CPU 0's pool, so that items wait behind each hog: the monitor watches a
            // pool with work waiting (an outside thread's queue() would spread them over idle CPUs).
            for (int i = 0; i < ITEMS; i++) {
                wq.queueOn(0, new Work(() -> useCpu(CPU_NANOS)));
                wq.queueOn(0, new Work(() -> useCpu(CPU_NANOS)));
            }
        }
    }

    /**
     * Computes until this thread has used {@code nanos} of CPU (wall time would count preemption).
     * A virtual thread has no CPU clock (the JVM answers -1): there, until {@code nanos} of wall
     * time have passed, which is at least as much CPU time for its carrier as the hog detection
     * needs whenever the carrier is not preempted for most of it.
     */
    static void useCpu(long nanos) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        if (start < 0) {
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return;
        }
        long end = start + nanos;
        while (threads.getCurrentThreadCpuTime() < end) {
            Thread.onSpinWait();
        }
    }
}
