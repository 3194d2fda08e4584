package dev.jwq.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuTimesTest {
    /** A compiler thread's line: the name holds a space; utime 123 and stime 45 are fields 14 and 15. */
    private static final String COMPILER = "4242 (C2 CompilerThre) S 1 4200 4200 0 -1 1077936192 9000 0 3 0 123 45 0 0 20 0 30 0 "
            + "5000 0 0 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 -1 1 0 0 0 0 0";

    @Test
    void readsUserPlusSystemTicksAfterTheName() {
        assertEquals(168, CpuTimes.ticks(COMPILER));
        assertEquals("C2 CompilerThre", CpuTimes.name(COMPILER));
    }

    @Test
    void aNameWithParenthesesAndSpacesDoesNotShiftTheFields() {
        String odd = COMPILER.replace("(C2 CompilerThre)", "(a) b (c))");
        assertEquals(168, CpuTimes.ticks(odd));
        assertEquals("a) b (c)", CpuTimes.name(odd));
    }

    @Test
    void thisProcessHasUsedCpuAndItsCompilersSomeOfIt() {
        long end = System.nanoTime() + 300_000_000L;
        long x = 0;
        while (System.nanoTime() < end) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime()); // 0.3 s of CPU on this thread
        }
        CpuTimes now = CpuTimes.self();
        assertTrue(now.processMillis() >= 200, "process CPU " + now.processMillis() + " ms after spinning (" + x + ")");
        assertTrue(now.compilerMillis() >= 0 && now.compilerMillis() <= now.processMillis(), now::toString);
        CpuTimes delta = now.since(new CpuTimes(now.processMillis() - 50, now.compilerMillis()));
        assertEquals(50, delta.processMillis());
        assertEquals(0, delta.compilerMillis());
        assertEquals(new CpuTimes(-1, -1), now.since(new CpuTimes(-1, -1)));
    }
}
