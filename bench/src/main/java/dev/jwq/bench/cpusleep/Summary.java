package dev.jwq.bench.cpusleep;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * The measured runs of one executor with one submitter count, reduced for the table: medians for
 * times (robust to a neighbour's burst on this shared machine), maxima for thread counts (a peak
 * is a peak).
 */
record Summary(Executor executor, int submitters, List<RunResult> runs) {
    /** Wall time may exceed the ideal by this much and meet issue 12's target. */
    static final double TARGET_RATIO = 1.05;
    /** Issue 12 allows 2 x ncpu + this many platform threads. */
    static final int EXTRA_THREADS = 4;

    Summary {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no measured run for " + executor.label);
        }
        runs = List.copyOf(runs);
    }

    /** Platform threads issue 12 allows for running the load. */
    static int allowedWorkers(int ncpu) {
        return 2 * ncpu + EXTRA_THREADS;
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
     * Whether issue 12's target holds: median wall within 5% of the ideal, with at most
     * 2 x ncpu + 4 threads running items.
     */
    boolean meetsTarget(int ncpu) {
        return medianRatio() <= TARGET_RATIO && maxWorkers() <= allowedWorkers(ncpu);
    }

    static String tableHeader() {
        return """
                | executor | submitters | wall s (median; min-max) | ideal s | wall / ideal | workers | JVM peak threads (at start) | in flight: mean / peak | CPU busy | process CPU ms/item | load avg | target |
                | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |""";
    }

    String tableRow(int ncpu) {
        return String.format(Locale.ROOT, "| %s | %d | **%.2f** (%.2f-%.2f) | %.2f | **%.2f** | %d | %d (%d) | %.1f / %d | %.0f%% | %.2f | %.1f-%.1f | %s |",
                executor.label, submitters, medianWallSeconds(), min(r -> r.wallNanos() / 1e9), max(r -> r.wallNanos() / 1e9),
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
        return executor.label + "/" + submitters + Arrays.toString(runs.toArray());
    }
}
