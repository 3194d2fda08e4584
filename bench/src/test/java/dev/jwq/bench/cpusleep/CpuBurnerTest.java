package dev.jwq.bench.cpusleep;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The burner's clocks: a virtual thread's burn is timed by its carrier's CPU clock, the one a platform thread reads. */
class CpuBurnerTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void carrierClockIsTheCpuClockAPlatformThreadReads() {
        assumeTrue(CarrierCpuClock.available(), "clock_gettime is read on Linux, JDK 22+, only");
        try (CarrierCpuClock.Reader clock = CarrierCpuClock.open()) {
            for (int i = 0; i < 100; i++) {
                long before = clock.nanos();
                long mx = THREADS.getCurrentThreadCpuTime();
                long after = clock.nanos();
                assertTrue(before <= mx && mx <= after, "clock_gettime " + before + ", ThreadMXBean " + mx + ", clock_gettime " + after);
            }
        }
    }

    @Test
    void virtualThreadBurnLastsItsCpuTimeOnItsCarrier() throws Exception {
        assumeTrue(CarrierCpuClock.available(), "clock_gettime is read on Linux, JDK 22+, only");
        long nanos = 100_000_000L;
        CpuBurner burner = new CpuBurner(nanos);
        // The loop ends once the carrier's clock has advanced by the burn, give or take what the
        // thread does between the reads (about 0.15 ms here): at least that much CPU (and wall
        // time), and not a loop count's guess of it, which was 0.6-3% off here (0.6-3 ms of this
        // burn; fails this). The kernel charges the thread for interrupts it handles meanwhile,
        // which took a burn 0.31 ms past it on a busy host, and all three of a clean-clone CI
        // run's burns past 0.3 ms (the closest 0.497): the closest of five burns is held to
        // 0.5 ms, which a loop count's error, the same in every burn, still misses.
        long bound = 500_000L;
        long closest = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && closest - nanos >= bound; attempt++) {
            long[] carrierCpuAndWall = burnOnAVirtualThread(burner);
            assertTrue(carrierCpuAndWall[0] >= nanos, "carrier CPU " + carrierCpuAndWall[0] + " ns for a burn of " + nanos);
            assertTrue(carrierCpuAndWall[1] >= nanos, "wall " + carrierCpuAndWall[1] + " ns for a burn of " + nanos);
            closest = Math.min(closest, carrierCpuAndWall[0]);
        }
        assertTrue(closest - nanos < bound, "carrier CPU " + closest + " ns, the closest of five burns of " + nanos);
    }

    /** One burn on a fresh virtual thread: the CPU its carrier spent on it, and its wall time (ns). */
    private static long[] burnOnAVirtualThread(CpuBurner burner) throws InterruptedException {
        AtomicLong carrierCpu = new AtomicLong();
        AtomicLong wall = new AtomicLong();
        Thread v = Thread.ofVirtual().start(() -> {
            burner.burn(); // first use: class loading and the clock's set-up, outside the measured burn
            try (CarrierCpuClock.Reader clock = CarrierCpuClock.open()) {
                long c0 = clock.nanos();
                long w0 = System.nanoTime();
                burner.burn();
                wall.set(System.nanoTime() - w0);
                carrierCpu.set(clock.nanos() - c0);
            }
        });
        v.join();
        return new long[] {carrierCpu.get(), wall.get()};
    }
}
