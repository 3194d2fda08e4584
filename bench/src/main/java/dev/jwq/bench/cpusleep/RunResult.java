package dev.jwq.bench.cpusleep;

/**
 * What one run measured.
 *
 * @param wallNanos       from the submitters' release to the last item's end
 * @param idealNanos      total CPU work / usable cores: the wall time of a perfect executor
 * @param workers         distinct threads that ran items (for virtual threads: their carriers)
 * @param jvmPeakThreads  peak live platform threads in the whole JVM during the run
 * @param threadsAtStart  live platform threads just before the run (harness, leftovers of earlier runs)
 * @param peakInFlight    most items between their start and their end at one moment
 * @param processCpuNanos CPU time of the whole process during the run (GC, JIT, jwq's monitor included)
 * @param items           items that ran, each exactly once (a run with a missing or repeated item fails)
 * @param loadAverage     the 1-minute load average just before the run
 */
record RunResult(long wallNanos, long idealNanos, int workers, int jvmPeakThreads, int threadsAtStart,
                 int peakInFlight, long processCpuNanos, int items, double loadAverage) {

    double ratio() {
        return wallNanos / (double) idealNanos;
    }

    /** Process CPU time per item, in milliseconds: the item's burn plus every overhead. */
    double cpuPerItemMillis() {
        return processCpuNanos / 1e6 / items;
    }
}
