package dev.jwq.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code top}'s table from two known readings: the columns as wq_monitor prints them, rates over
 * the time between the readings.
 */
class TopTableTest {
    private static final long SECOND = 1_000_000_000L;

    private static LiveStats.Wq wq(String name, String flags, long started, long completed) {
        return new LiveStats.Wq(name, flags, started, completed, 3, 5, 7, 11, 16, 2, 0);
    }

    private static LiveStats.Pool pool(int id, int cpu, int workers, int idle, int running, int pending) {
        return new LiveStats.Pool(id, cpu, cpu < 0 ? "0-3" : Integer.toString(cpu), false, workers, idle, running,
                pending, 0);
    }

    @Test
    void ratesAreStartedItemsPerSecondBetweenTheTwoReadings() {
        LiveStats before = new LiveStats(10 * SECOND, List.of(wq("events", "[PERCPU]", 100, 90),
                wq("kblockd", "[UNBOUND, MEM_RECLAIM]", 40, 40)), List.of());
        LiveStats after = new LiveStats(12 * SECOND, List.of(wq("events", "[PERCPU]", 400, 398),
                wq("kblockd", "[UNBOUND, MEM_RECLAIM]", 41, 41), wq("fresh", "[PERCPU]", 5, 5)),
                List.of(pool(0, 0, 3, 1, 1, 4), pool(1, 0, 1, 1, 0, 0), pool(8, -1, 2, 1, 1, 0)));
        String t = TopCommand.table(42, Instant.EPOCH, before, after, null);
        assertEquals(List.of("events", "400", "150.0", "2", "3", "5", "-", "-"), LiveCommandsTest.row(t, "events"));
        assertEquals(List.of("kblockd", "41", "0.5", "0", "-", "-", "7", "11"), LiveCommandsTest.row(t, "kblockd"));
        // created since the previous reading: no rate yet
        assertEquals("-", LiveCommandsTest.row(t, "fresh").get(2));
        assertTrue(t.contains("pools: 3, 2 busy\n"), t);
        assertTrue(t.contains("pool[000] cpu 0            workers=3 idle=1 running=1 pending=4\n"), t);
        assertTrue(t.contains("pool[008] cpus 0-3         workers=2 idle=1 running=1 pending=0\n"), t);
        assertFalse(t.contains("pool[001]"), t);
    }

    @Test
    void theFirstTableHasNoRatesAndPatternsSelectRows() {
        LiveStats only = new LiveStats(0, List.of(wq("events", "[PERCPU]", 1, 0), wq("kblockd", "[UNBOUND]", 2, 2)),
                List.of());
        String t = TopCommand.table(42, Instant.EPOCH, null, only, Pattern.compile("^ev"));
        assertTrue(t.startsWith("\njwq top: PID 42, 1970-01-01T00:00:00Z\n"), t);
        assertEquals(List.of("events", "1", "-", "1", "3", "5", "-", "-"), LiveCommandsTest.row(t, "events"));
        assertFalse(t.contains("kblockd"), t);
    }

    @Test
    void aRedrawStartsTopLeftErasesEachLineToItsEndAndWhateverWasBelow() {
        String r = TopCommand.redraw("\njwq top: PID 1\nevents 1\n");
        assertEquals("\u001b[Hjwq top: PID 1\u001b[K\nevents 1\u001b[K\n\u001b[J", r);
    }
}
