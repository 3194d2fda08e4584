package dev.jwq.bench.cpusleep;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.function.Supplier;

/**
 * {@link CarrierCpuClock}'s FFM part: {@code clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)} on
 * Linux, 64-bit ({@code CLOCK_THREAD_CPUTIME_ID} is 3, a {@code timespec} two longs). Made
 * reflectively; its constructor throws when the call cannot be set up.
 */
final class FfmThreadCpuClock implements Supplier<CarrierCpuClock.Reader> {
    private static final int CLOCK_THREAD_CPUTIME_ID = 3;
    private final MethodHandle clockGettime;

    FfmThreadCpuClock() {
        if (ValueLayout.ADDRESS.byteSize() != 8) {
            throw new UnsupportedOperationException("timespec is laid out for 64-bit Linux only");
        }
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find("clock_gettime")
                .orElseThrow(() -> new UnsupportedOperationException("no clock_gettime in the C library"));
        clockGettime = linker.downcallHandle(symbol,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        try (CarrierCpuClock.Reader probe = get()) {
            probe.nanos(); // fails here, not in a run, if the call does not work
        }
    }

    @Override
    public CarrierCpuClock.Reader get() {
        Arena arena = Arena.ofConfined();
        MemorySegment ts = arena.allocate(16, 8);
        return new CarrierCpuClock.Reader() {
            @Override
            public long nanos() {
                int rc;
                try {
                    rc = (int) clockGettime.invokeExact(CLOCK_THREAD_CPUTIME_ID, ts);
                } catch (Throwable t) {
                    throw new IllegalStateException("clock_gettime failed", t);
                }
                if (rc != 0) {
                    throw new IllegalStateException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) returned " + rc);
                }
                return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
            }

            @Override
            public void close() {
                arena.close();
            }
        };
    }
}
