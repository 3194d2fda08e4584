package dev.jwq.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class HelpersTest {
    @Test
    void cpuHogWarningsBackOffExponentiallyFromTheFourthTime() {
        List<Long> warned = new ArrayList<>();
        LongStream.rangeClosed(1, 40).filter(CpuHogReport::shouldWarn).forEach(warned::add);
        assertEquals(List.of(4L, 5L, 7L, 11L, 19L, 35L), warned);
    }

    @Test
    void cpuHogCountsPerFunction() {
        Runnable a = () -> { };
        Runnable b = new Thread();
        assertEquals(1, CpuHogReport.record(a.getClass(), 10_000_000));
        assertEquals(2, CpuHogReport.record(a.getClass(), 10_000_000));
        assertEquals(1, CpuHogReport.record(b.getClass(), 10_000_000));
    }

    @Test
    void timespansParseAsJfrWritesThem() {
        assertEquals(0, TotalThresholdSetting.parse("0 ns"));
        assertEquals(0, TotalThresholdSetting.parse("0"));
        assertEquals(1_000_000, TotalThresholdSetting.parse("1 ms"));
        assertEquals(20_000, TotalThresholdSetting.parse("20us"));
        assertEquals(2_000_000_000L, TotalThresholdSetting.parse(" 2 s "));
        assertEquals(Long.MAX_VALUE, TotalThresholdSetting.parse("infinity"));
        assertEquals(-1, TotalThresholdSetting.parse("fast"));
        assertEquals(-1, TotalThresholdSetting.parse("3 parsecs"));
        assertEquals(-1, TotalThresholdSetting.parse(""));
    }

    @Test
    void recordingsCombineToTheSmallestThresholdAndBadValuesAreIgnored() {
        TotalThresholdSetting s = new TotalThresholdSetting();
        assertEquals("1 ms", s.combine(Set.of()));
        assertEquals("500 us", s.combine(Set.of("10 ms", "500 us", "bogus")));
        s.setValue("2 ms");
        assertTrue(s.accepts(2_000_000));
        assertTrue(!s.accepts(1_999_999));
        s.setValue("bogus");
        assertEquals("2 ms", s.getValue());
    }

    @Test
    void functionNamesAreStableClassNames() {
        Runnable lambda = () -> { };
        assertEquals(HelpersTest.class.getName() + "$$Lambda", FunctionNames.of(lambda.getClass()));
        assertEquals("java.lang.Thread", FunctionNames.of(Thread.class));
        assertEquals(null, FunctionNames.of(null));
    }
}
