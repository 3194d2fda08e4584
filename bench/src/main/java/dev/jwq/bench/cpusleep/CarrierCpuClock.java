package dev.jwq.bench.cpusleep;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The CPU clock of the OS thread that runs the caller, {@code clock_gettime(CLOCK_THREAD_CPUTIME_ID)}:
 * for a virtual thread, its carrier's clock. A virtual thread that spins has no point where it
 * could unmount, so its carrier's clock advances by exactly the CPU time the spin uses;
 * {@code ThreadMXBean} has no clock for virtual threads (it returns -1).
 *
 * <p>The call is made through the FFM API ({@code FfmThreadCpuClock}, compiled for Java 22 into
 * {@code META-INF/versions/22} of the multi-release benchmarks jar, as the runtime's own FFM
 * calls are) and loaded reflectively, so these Java 21 classes never link against it. Linux on
 * a 64-bit JVM only; elsewhere, or without native access, {@link #available()} is false.
 */
final class CarrierCpuClock {
    /** The FFM implementation, in META-INF/versions/22. */
    private static final String FFM_CLASS = "dev.jwq.bench.cpusleep.FfmThreadCpuClock";
    private static final Supplier<Reader> READERS = load();

    private CarrierCpuClock() {}

    /** Reads the clock of the thread that opened it, until closed; confined to that thread. */
    interface Reader extends AutoCloseable {
        /** CPU nanoseconds the calling OS thread has used. */
        long nanos();

        @Override
        void close();
    }

    @SuppressWarnings("unchecked")
    private static Supplier<Reader> load() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                || Runtime.version().feature() < 22) {
            return null;
        }
        try {
            return (Supplier<Reader>) Class.forName(FFM_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null; // not in the jar's Java 22 part, no native access, or no such symbol
        }
    }

    /** True when {@link #open} can read the clock here. */
    static boolean available() {
        return READERS != null;
    }

    /** A reader for the calling thread; only when {@link #available()}. */
    static Reader open() {
        if (READERS == null) {
            throw new IllegalStateException("the thread CPU clock cannot be read here (Linux, 64-bit, JDK 22+ and native access needed)");
        }
        return READERS.get();
    }
}
