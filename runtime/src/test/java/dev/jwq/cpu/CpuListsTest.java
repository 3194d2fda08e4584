package dev.jwq.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class CpuListsTest {
    @Test
    void parsesRangesAndSingles() {
        BitSet s = CpuLists.parse("0-3, 8,10-11\n");
        assertEquals("{0, 1, 2, 3, 8, 10, 11}", s.toString());
        assertEquals("0-3,8,10-11", CpuLists.format(s));
        assertTrue(CpuLists.parse("").isEmpty());
        assertEquals("5", CpuLists.format(CpuLists.parse("5")));
        assertEquals("", CpuLists.format(new BitSet()));
    }

    @Test
    void badListsAreNamed() {
        for (String bad : new String[] {"x", "1-", "-1", "3-1", "1,,a", "0-2-4"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuLists.parse(bad), bad);
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
    }
}
