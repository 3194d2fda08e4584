package dev.jwq.bench.cpusleep;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * The measured runs of one executor, reduced for the table: medians for times (robust to a
 * neighbour's burst on this shared machine), maxima for thread counts (a peak is a peak).
 */
record Summary(Executor executor, List<RunResult> runs) {
    /** Wall time may exceed the ideal by this much and meet issue 3's target. */
    static final double TARGET_RATIO = 1.15;
    /** Workers the load needs per core: one computing while four sleep (1 ms CPU + 4 ms sleep). */
    static final int NEEDED_PER_CORE = 5;
    /** Issue 3 allows this many times the workers the load needs. */
    static final int WORKER_ALLOWANCE = 3;

    Summary {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no measured run for " + executor.label);
        }
        runs = List.copyOf(runs);
    }

    double medianWallSeconds() {
        return median(r -> r.wallNanos() / 1e9);
    }

    double medianRatio() {
        return median(RunResult::ratio);
    }

    int maxWorkers() {
        return maxInt(RunResult::workers);
    }

    /**
     * Whether issue 3's target holds: median wall within 15% of the ideal, with at most 3x the
     * workers the load needs ({@code neededPerCore} x ncpu).
     */
    boolean meetsTarget(int ncpu) {
        return medianRatio() <= TARGET_RATIO && maxWorkers() <= WORKER_ALLOWANCE * NEEDED_PER_CORE * ncpu;
    }

    static String tableHeader() {
        return """
                | executor | wall s (median; min-max) | ideal s | wall / ideal | workers | JVM peak threads (at start) | in flight: mean / peak | CPU busy | process CPU ms/item | load avg | target |
                | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |""";
    }

    String tableRow(int ncpu) {
        return String.format(Locale.ROOT, "| %s | **%.2f** (%.2f-%.2f) | %.2f | **%.2f** | %d | %d (%d) | %.1f / %d | %.0f%% | %.2f | %.1f-%.1f | %s |",
                executor.label, medianWallSeconds(), min(r -> r.wallNanos() / 1e9), max(r -> r.wallNanos() / 1e9),
                runs.get(0).idealNanos() / 1e9, medianRatio(), maxWorkers(),
                maxInt(RunResult::jvmPeakThreads), maxInt(RunResult::threadsAtStart), median(RunResult::meanInFlight), maxInt(RunResult::peakInFlight),
                median(r -> r.cpuBusy(ncpu) * 100),
                median(RunResult::cpuPerItemMillis), min(RunResult::loadAverage), max(RunResult::loadAverage),
                meetsTarget(ncpu) ? "met" : "missed");
    }

    private double median(ToDoubleFunction<RunResult> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private double min(ToDoubleFunction<RunResult> f) {
        return runs.stream().mapToDouble(f).min().orElseThrow();
    }

    private double max(ToDoubleFunction<RunResult> f) {
        return runs.stream().mapToDouble(f).max().orElseThrow();
    }

    private int maxInt(ToIntFunction<RunResult> f) {
        return runs.stream().mapToInt(f).max().orElseThrow();
    }

    @Override
    public String toString() {
        return executor.label + Arrays.toString(runs.toArray());
    }
}
