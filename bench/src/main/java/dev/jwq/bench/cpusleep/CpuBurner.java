package dev.jwq.bench.cpusleep;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Burns a fixed amount of CPU time in the calling thread.
 *
 * <p>The loop runs until the running OS thread's CPU clock has advanced by the requested
 * amount, so time the thread spends preempted (this machine is shared) is not counted as work:
 * on a platform thread its own clock ({@link ThreadMXBean#getCurrentThreadCpuTime()}), on a
 * virtual thread its carrier's ({@link CarrierCpuClock}). A spinning virtual thread has no
 * yield point, so it stays on its carrier for the whole burn, and the carrier's clock counts
 * the burn and nothing else. Where that clock cannot be read (not Linux, no native access), a
 * virtual thread runs a number of loop chunks calibrated once, at construction, against the
 * constructing platform thread's clock. That fallback is only approximate: the JIT compiles the
 * calibration's copy of the loop and the burn's copy apart.
 */
final class CpuBurner {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Multiply-add steps per chunk: a few microseconds, so the clock is read rarely but often enough. */
    private static final int CHUNK_STEPS = 2_000;
    /** Keeps the loop's result alive so the JIT cannot drop it. */
    private static volatile long sink;

    private final long nanos;
    private final long calibratedChunks;

    /** A burner of {@code nanos} of CPU per call; calibrates on the calling (platform) thread. */
    CpuBurner(long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("CPU time per item must be positive, was " + nanos + " ns");
        }
        if (!THREADS.isCurrentThreadCpuTimeSupported() || Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("this JVM measures no thread CPU time: the benchmark needs it");
        }
        if (!THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        this.nanos = nanos;
        this.calibratedChunks = Math.max(1, Math.round(nanos * chunksPerNano()));
    }

    /** CPU time one {@link #burn()} uses. */
    long nanos() {
        return nanos;
    }

    /** Chunks of the loop a thread without a CPU clock runs per burn. */
    long calibratedChunks() {
        return calibratedChunks;
    }

    /** Uses {@link #nanos()} of the calling thread's CPU time. */
    void burn() {
        if (Thread.currentThread().isVirtual()) {
            burnOnCarrier();
        } else if (THREADS.getCurrentThreadCpuTime() >= 0) {
            burnFor(THREADS::getCurrentThreadCpuTime);
        } else { // no CPU clock for this thread
            sink = burnCalibrated(System.nanoTime());
        }
    }

    /** A virtual thread's burn: its carrier's CPU clock, or the calibrated chunks where that clock cannot be read. */
    private void burnOnCarrier() {
        if (!CarrierCpuClock.available()) {
            sink = burnCalibrated(System.nanoTime());
            return;
        }
        try (CarrierCpuClock.Reader clock = CarrierCpuClock.open()) {
            burnFor(clock::nanos);
        }
    }

    /** Runs chunks until {@code cpuClock} has advanced by {@link #nanos()}. */
    private void burnFor(LongSupplier cpuClock) {
        long start = cpuClock.getAsLong();
        long acc = start;
        do {
            acc = chunk(acc);
        } while (cpuClock.getAsLong() - start < nanos);
        sink = acc;
    }

    private long burnCalibrated(long acc) {
        for (long i = 0; i < calibratedChunks; i++) {
            acc = chunk(acc);
        }
        return acc;
    }

    /** A dependent chain of multiply-adds (an LCG step): pure CPU, nothing to optimise away. */
    private static long chunk(long x) {
        for (int i = 0; i < CHUNK_STEPS; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }

    /** Chunks per CPU nanosecond, the median of several timed batches after a JIT warm-up. */
    private static double chunksPerNano() {
        long acc = 0;
        long warmUntil = THREADS.getCurrentThreadCpuTime() + 200_000_000L;
        while (THREADS.getCurrentThreadCpuTime() < warmUntil) {
            acc = chunk(acc);
        }
        double[] rates = new double[7];
        for (int r = 0; r < rates.length; r++) {
            int batch = 5_000;
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < batch; i++) {
                acc = chunk(acc);
            }
            rates[r] = batch / (double) (THREADS.getCurrentThreadCpuTime() - t0);
        }
        sink = acc;
        Arrays.sort(rates);
        return rates[rates.length / 2];
    }
}
