package dev.jwq.tool;

import java.util.Arrays;

/**
 * A growable list of {@code long}s in the order they were added, and its nearest-rank
 * percentiles (computed on a sorted copy, kept until the next {@link #add}).
 */
final class Samples {
    private long[] values = new long[16];
    private int size;
    private long[] sorted;

    void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
        sorted = null;
    }

    int size() {
        return size;
    }

    long get(int i) {
        return values[i];
    }

    /**
     * The nearest-rank percentile: the smallest value with at least {@code p} percent of the
     * values at or below it; -1 when empty. {@code p = 100} is the maximum.
     */
    long percentile(double p) {
        if (size == 0) {
            return -1;
        }
        if (sorted == null) {
            sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
        }
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size, rank) - 1)];
    }
}
