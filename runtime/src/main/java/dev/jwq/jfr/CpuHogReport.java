package dev.jwq.jfr;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code wq_cpu_intensive_report}: counts, per function, the items found hogging the CPU and
 * warns in the log from the {@link #WARNING_THRESHOLD}-th time on with exponential back-off
 * (the 4th, 5th, 7th, 11th, 19th, ... time), suggesting an unbound workqueue. At most
 * {@link #MAX_ENTRIES} functions are tracked ({@code WCI_MAX_ENTS}); the cache evicts the
 * rest, and with weak keys a function's class loader can still unload.
 */
final class CpuHogReport {
    /** {@code WCI_MAX_ENTS}: functions tracked at once. */
    static final int MAX_ENTRIES = 128;
    /** {@code wq_cpu_intensive_warning_thresh}: hogs before the first warning. */
    static final long WARNING_THRESHOLD = 4;

    private static final System.Logger LOG = System.getLogger("dev.jwq");
    private static final Cache<Class<?>, AtomicLong> COUNTS =
            Caffeine.newBuilder().weakKeys().maximumSize(MAX_ENTRIES).executor(Runnable::run).build(); // as FunctionNames

    private CpuHogReport() {
    }

    /** Counts one hog of {@code function}; returns its count so far. Logs when the back-off says so. */
    static long record(Class<?> function, long thresholdNanos) {
        long count = COUNTS.get(function, f -> new AtomicLong()).incrementAndGet();
        if (shouldWarn(count)) {
            LOG.log(System.Logger.Level.WARNING, "jwq: " + FunctionNames.of(function) + " hogged CPU for >"
                    + TimeUnit.NANOSECONDS.toMicros(thresholdNanos) + "us " + count
                    + " times, consider an UNBOUND or CPU_INTENSIVE workqueue");
        }
        return count;
    }

    /** From the threshold on, whenever count + 1 - threshold is a power of two. */
    static boolean shouldWarn(long count) {
        long k = count + 1 - WARNING_THRESHOLD;
        return count >= WARNING_THRESHOLD && Long.bitCount(k) == 1;
    }
}
