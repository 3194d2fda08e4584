package dev.jwq.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Nearest-rank percentiles: the smallest value with at least p percent of the values at or below it. */
class SamplesTest {
    @Test
    void percentilesOfOneToHundred() {
        Samples s = new Samples();
        for (int i = 100; i >= 1; i--) {
            s.add(i);
        }
        assertEquals(50, s.percentile(50));
        assertEquals(99, s.percentile(99));
        assertEquals(100, s.percentile(100));
        assertEquals(1, s.percentile(1));
        assertEquals(100, s.get(0), "kept in the order added");
    }

    @Test
    void smallAndEmpty() {
        Samples s = new Samples();
        assertEquals(-1, s.percentile(50));
        s.add(7);
        assertEquals(7, s.percentile(50));
        assertEquals(7, s.percentile(99));
        s.add(3);
        assertEquals(3, s.percentile(50));
        assertEquals(7, s.percentile(51));
        s.add(1);
        assertEquals(3, s.percentile(50), "recomputed after add");
    }
}
