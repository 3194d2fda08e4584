package dev.jwq;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports functions whose items keep hogging a per-CPU pool's CPU past the CPU-intensive
 * threshold, with exponential back-off ({@code CONFIG_WQ_CPU_INTENSIVE_REPORT}): the warning
 * comes at the {@link #WARNING_THRESHOLD}-th sighting and then each time the count past it
 * doubles. At most {@link #MAX_ENTRIES} functions are tracked ({@code WCI_MAX_ENTS}); classes are
 * held weakly so application class loaders can unload.
 */
final class CpuHogReport {
    /** Sightings before the first warning ({@code wq_cpu_intensive_warning_thresh}). */
    static final int WARNING_THRESHOLD = 4;
    /** Functions tracked ({@code WCI_MAX_ENTS}). */
    static final int MAX_ENTRIES = 128;

    private static final Cache<Class<?>, AtomicLong> COUNTS =
            Caffeine.newBuilder().weakKeys().maximumSize(MAX_ENTRIES).build(); // V
    private static final System.Logger LOG = System.getLogger("dev.jwq");

    private CpuHogReport() {}

    /** Counts one hog of {@code fn}'s class; returns the warning to log now, or null. */
    static String record(Runnable fn, long thresholdNanos) {
        long n = COUNTS.get(fn.getClass(), k -> new AtomicLong()).incrementAndGet();
        long past = n + 1 - WARNING_THRESHOLD;
        if (n < WARNING_THRESHOLD || (past & (past - 1)) != 0) {
            return null;
        }
        return "jwq: " + PoolDump.functionName(fn) + " hogged CPU for >" + thresholdNanos / 1000 + "us " + n
                + " times, consider switching to WqFlag.UNBOUND or CPU_INTENSIVE";
    }

    static void log(String warning) {
        LOG.log(System.Logger.Level.WARNING, warning);
    }
}
