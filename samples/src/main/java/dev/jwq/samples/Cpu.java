package dev.jwq.samples;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

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
        long start = THREADS.getCurrentThreadCpuTime();
        if (start < 0) {
            // A virtual thread (a jwq worker on carriers, say) has no CPU clock: the JVM answers
            // -1. Spin as many rounds as take this long on a CPU (measured once, below).
            spinRounds(Math.max(1, Math.round(us * SpinRate.ROUNDS_PER_MICRO)));
            return;
        }
        long end = start + us * 1000;
        while (THREADS.getCurrentThreadCpuTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static volatile long sink;

    private static void spinRounds(long rounds) {
        long x = sink;
        for (long i = 0; i < rounds; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            Thread.onSpinWait();
        }
        sink = x;
    }

    /**
     * Rounds of {@link #spinRounds} per microsecond of CPU, measured on first use, on a platform
     * thread of its own (it has a CPU clock). A holder of its own, and the measuring code a class
     * of its own too: the measuring thread must not need the class whose initialisation waits
     * for it (a lambda here would be a method of SpinRate, and that thread would wait forever).
     */
    private static final class SpinRate {
        static final double ROUNDS_PER_MICRO = measure();

        private static double measure() {
            Calibration c = new Calibration();
            Thread t = new Thread(c, "cpu-calibration");
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return c.rate > 0 ? c.rate : 100;
        }
    }

    /**
     * The median of nine 10 ms measurements of {@link #spinRounds} against the CPU clock, after
     * one to warm the loop up. The median, not the fastest: a worker spinning the fastest rate's
     * rounds did 2-4% more work than it was asked for (scratch runs on a 2-CPU host: fastest
     * 106-109 rounds a microsecond, mean 104-108), which a platform thread polling its CPU clock
     * does not, so the two runs of the demo computed different amounts.
     */
    private static final class Calibration implements Runnable {
        volatile double rate;

        @Override
        public void run() {
            double[] rates = new double[9];
            for (int i = -1; i < rates.length; i++) {
                long rounds = 100_000;
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                long used;
                do {
                    spinRounds(rounds);
                    used = THREADS.getCurrentThreadCpuTime() - cpu0;
                    rounds *= 2;
                } while (used < 10_000_000);
                if (i >= 0) {
                    // rounds - 100,000: every round run since cpu0 (100k + 200k + ... doubled once more).
                    rates[i] = (rounds - 100_000) / (used / 1000.0);
                }
            }
            Arrays.sort(rates);
            rate = rates[rates.length / 2];
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
