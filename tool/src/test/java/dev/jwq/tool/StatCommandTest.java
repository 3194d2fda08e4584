package dev.jwq.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatCommandTest {
    @TempDir
    static Path dir;
    static Path recording;

    @BeforeAll
    static void record() throws Exception {
        recording = Scenario.record(dir);
    }

    @Test
    void tableHasWqMonitorsColumnsAndTheScenariosPercentiles() {
        ToolRun r = ToolRun.of("stat", recording.toString());
        assertEquals(0, r.status(), r.err());
        String[] events = row(r.out(), "events");
        // name total infl CPUtime CPUitsv CMW/RPR mayday rescued | items p50 p99 max run...
        assertEquals(Arrays.asList("events", "1000", "3", "2.5", "4", "9", "-", "-", "|", "100", "50.0ms", "99.0ms",
                "100ms"), Arrays.asList(events).subList(0, 13));
        String[] kblockd = row(r.out(), "kblockd");
        assertEquals(Arrays.asList("kblockd", "10", "0", "0.0", "-", "2", "5", "7", "|", "10", "5.00ms", "5.00ms",
                "5.00ms"), Arrays.asList(kblockd).subList(0, 13));
        String[] noStats = row(r.out(), "noStats*");
        assertEquals("3", noStats[9]);
        assertTrue(r.out().contains("STALL"), r.out());
        assertTrue(r.out().contains("pool 6 (cpu 3) made no progress for 31.0s with 42 pending"), r.out());
    }

    @Test
    void jsonCarriesTheSameNumbersInNanoseconds() throws Exception {
        ToolRun r = ToolRun.of("stat", "-j", recording.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode events = wq(root, "events");
        assertEquals(1000, events.get("total").asLong());
        assertEquals(3, events.get("inFlight").asLong());
        assertEquals(2_500_000_000L, events.get("cpuTimeNanos").asLong());
        assertEquals(100, events.get("items").asLong());
        assertEquals(50_000_000L, events.get("queueLatencyNanos").get("p50").asLong());
        assertEquals(99_000_000L, events.get("queueLatencyNanos").get("p99").asLong());
        assertEquals(100_000_000L, events.get("queueLatencyNanos").get("max").asLong());
        JsonNode kblockd = wq(root, "kblockd");
        assertTrue(kblockd.get("unbound").asBoolean());
        assertEquals(5, kblockd.get("mayday").asLong());
        assertEquals(7, kblockd.get("rescued").asLong());
        assertEquals(2, kblockd.get("maydayEvents").asLong());
        assertEquals(3, kblockd.get("rescuedItems").asLong());
        assertTrue(kblockd.get("runTimeNanos").get("max").asLong() >= 3_000_000L);
        assertFalse(wq(root, "noStats").get("statistics").asBoolean());
        assertEquals(1, root.get("stalls").size());
        assertEquals(31_000_000_000L, root.get("stalls").get(0).get("stalledForNanos").asLong());
        assertEquals("0 ns", root.get("workExecutionSettings").get("totalThreshold").asText());
    }

    @Test
    void patternsSelectWorkqueuesAsWqMonitorDoes() throws Exception {
        ToolRun r = ToolRun.of("stat", "-j", recording.toString(), "^kb", "noSt");
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(2, root.get("workqueues").size());
        assertTrue(find(root, "events").isEmpty());
    }

    static JsonNode wq(JsonNode root, String name) {
        return find(root, name).orElseThrow(() -> new AssertionError(name + " missing: " + root));
    }

    static Optional<JsonNode> find(JsonNode root, String name) {
        for (JsonNode w : root.get("workqueues")) {
            if (w.get("name").asText().equals(name)) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    static String[] row(String table, String name) {
        return table.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + " in\n" + table)).trim().split("\\s+");
    }
}
