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
    void samplingRatesParseAndRoundUpToPowersOfTwo() {
        assertEquals(1024, SampleSetting.parse("1024"));
        assertEquals(1, SampleSetting.parse(" 1 "));
        assertEquals(-1, SampleSetting.parse("0"));
        assertEquals(-1, SampleSetting.parse("-5"));
        assertEquals(-1, SampleSetting.parse("often"));
        assertEquals(-1, SampleSetting.parse(null));
        assertEquals(1, SampleSetting.roundUpToPowerOfTwo(1));
        assertEquals(2, SampleSetting.roundUpToPowerOfTwo(2));
        assertEquals(4, SampleSetting.roundUpToPowerOfTwo(3));
        assertEquals(1024, SampleSetting.roundUpToPowerOfTwo(1000));
        assertEquals(1024, SampleSetting.roundUpToPowerOfTwo(1024));
        assertEquals(1 << 30, SampleSetting.roundUpToPowerOfTwo(Integer.MAX_VALUE));
    }

    @Test
    void recordingsCombineToTheMostFrequentSamplingAndBadValuesAreIgnored() {
        SampleSetting s = new SampleSetting();
        assertEquals("1024", s.combine(Set.of()));
        assertEquals("16", s.combine(Set.of("1024", "16", "bogus")));
        int before = SampleSetting.mask();
        try {
            s.setValue("100");
            assertEquals(127, SampleSetting.mask());
            s.setValue("bogus");
            assertEquals("100", s.getValue());
            assertEquals(127, SampleSetting.mask());
        } finally {
            s.setValue(Integer.toString(before + 1));
        }
    }
}
