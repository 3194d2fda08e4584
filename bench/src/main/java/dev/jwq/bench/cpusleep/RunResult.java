package dev.jwq.bench.cpusleep;

/**
 * What one run measured.
 *
 * @param submitters      threads that submitted the items
 * @param wallNanos       from the submitters' release to the last item's end
 * @param idealNanos      total CPU work / usable cores: the wall time of a perfect executor
 * @param workers         distinct threads that ran items (for virtual threads: their carriers)
 * @param jvmPeakThreads  peak live platform threads in the whole JVM during the run
 * @param threadsAtStart  live platform threads just before the run (harness, leftovers of earlier runs)
 * @param peakInFlight    most items between their start and their end at one moment
 * @param itemNanos       the items' own time, start to end, summed (burn, preemption and sleep)
 * @param processCpuNanos CPU time of the whole process during the run (GC, JIT, jwq's monitor included)
 * @param items           items that ran, each exactly once (a run with a missing or repeated item fails)
 * @param loadAverage     the 1-minute load average just before the run
 */
record RunResult(int submitters, long wallNanos, long idealNanos, int workers, int jvmPeakThreads, int threadsAtStart,
                 int peakInFlight, long itemNanos, long processCpuNanos, int items, double loadAverage) {

    double ratio() {
        return wallNanos / (double) idealNanos;
    }

    /**
     * Items in flight on average: their summed time over the wall time. A perfect executor of
     * this load keeps about 5 per core in flight (one burning, four asleep).
     */
    double meanInFlight() {
        return itemNanos / (double) wallNanos;
    }

    /** The share of the cores' time the process used: its CPU time over wall time x ncpu. */
    double cpuBusy(int ncpu) {
        return processCpuNanos / ((double) wallNanos * ncpu);
    }

    /** Process CPU time per item, in milliseconds: the item's burn plus every overhead. */
    double cpuPerItemMillis() {
        return processCpuNanos / 1e6 / items;
    }
}
