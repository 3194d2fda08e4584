package dev.jwq;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Threads' CPU time, where the JVM measures it. The {@link ThreadMXBean} is made when a time is
 * first asked for (a busy worker's first examination by the monitor, a carrier's by its watch,
 * a recorded item): {@code ManagementFactory} looks through every platform MXBean provider on
 * the way (measured: about 80 classes and 0.4 MiB of heap), which a process whose items never
 * outlast a sample need not pay.
 */
final class CpuClock {
    private static final class Bean {
        static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        static final boolean CURRENT = THREADS.isCurrentThreadCpuTimeSupported();
        static final boolean OTHERS = THREADS.isThreadCpuTimeSupported();
    }

    private CpuClock() {}

    /** CPU time of the calling thread in nanoseconds, or -1 where unsupported. */
    static long currentThread() {
        return Bean.CURRENT ? Bean.THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** Whether {@link #of} measures other threads here. */
    static boolean othersSupported() {
        return Bean.OTHERS;
    }

    /** CPU time of {@code t} in nanoseconds, or -1 where unsupported or once {@code t} has ended. */
    static long of(Thread t) {
        return Bean.OTHERS ? Bean.THREADS.getThreadCpuTime(t.threadId()) : -1;
    }
}
