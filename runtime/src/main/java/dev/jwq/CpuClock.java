package dev.jwq;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** The calling thread's CPU time, where the JVM measures it. */
final class CpuClock {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported();

    private CpuClock() {}

    /** CPU time of the calling thread in nanoseconds, or -1 where unsupported. */
    static long currentThread() {
        return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : -1;
    }
}
