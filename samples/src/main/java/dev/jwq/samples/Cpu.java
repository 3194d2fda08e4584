package dev.jwq.samples;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** Simulated work shared by the samples: computing for a given CPU time, and sleeping. */
public final class Cpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Cpu() {}

    /**
     * Computes for {@code us} microseconds of this thread's CPU time. CPU time, not wall time:
     * a thread that is preempted does not get its work done for free, so a run with hundreds
     * of threads time-sharing two CPUs is not flattered.
     */
    public static void spinMicros(long us) {
        long end = THREADS.getCurrentThreadCpuTime() + us * 1000;
        while (THREADS.getCurrentThreadCpuTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** Sleeps, keeping the interrupt status if interrupted (the caller's loop decides). */
    public static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
