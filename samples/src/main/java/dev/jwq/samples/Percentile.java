package dev.jwq.samples;

/** Percentiles of latencies, as the samples print them. */
public final class Percentile {
    private Percentile() {}

    /** The {@code p}-th percentile of {@code sorted} by nearest rank; 0 for no values. */
    public static long of(long[] sorted, int p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be within [0, 100], got " + p);
        }
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
