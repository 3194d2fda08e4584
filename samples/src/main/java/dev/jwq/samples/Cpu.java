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
        long start = THREADS.getCurrentThreadCpuTime();
        if (start < 0) {
            // A virtual thread (a jwq worker on carriers, say) has no CPU clock: the JVM answers
            // -1. Spin as many rounds as take this long on a CPU (measured once, below).
            spinRounds(Math.max(1, Math.round(us * ROUNDS_PER_MICRO)));
            return;
        }
        long end = start + us * 1000;
        while (THREADS.getCurrentThreadCpuTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** Rounds of {@link #spinRounds} per microsecond of CPU, measured once on a platform thread. */
    private static final double ROUNDS_PER_MICRO = calibrate();

    private static volatile long sink;

    private static void spinRounds(long rounds) {
        long x = sink;
        for (long i = 0; i < rounds; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            Thread.onSpinWait();
        }
        sink = x;
    }

    /** The fastest of a few 10 ms measurements, on a platform thread of its own (it has a CPU clock). */
    private static double calibrate() {
        double[] best = {0};
        Thread t = new Thread(() -> {
            for (int i = 0; i < 5; i++) {
                long rounds = 100_000;
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                long used;
                do {
                    spinRounds(rounds);
                    used = THREADS.getCurrentThreadCpuTime() - cpu0;
                    rounds *= 2;
                } while (used < 10_000_000);
                best[0] = Math.max(best[0], (rounds - 100_000) / (used / 1000.0));
            }
        }, "cpu-calibration");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return best[0] > 0 ? best[0] : 100;
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
