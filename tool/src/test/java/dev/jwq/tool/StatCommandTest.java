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
        assertEquals(Arrays.asList("events", "1000", "3", "2.50s", "4", "9", "-", "-", "|", "100"),
                Arrays.asList(events).subList(0, 10));
        assertLatency(50, events[10]);
        assertLatency(99, events[11]);
        assertLatency(100, events[12]);
        String[] kblockd = row(r.out(), "kblockd");
        assertEquals(Arrays.asList("kblockd", "10", "0", "1.00ms", "-", "2", "5", "7", "|", "10"),
                Arrays.asList(kblockd).subList(0, 10));
        assertLatency(5, kblockd[10]);
        String[] noStats = row(r.out(), "noStats*");
        assertEquals("3", noStats[9]);
        assertTrue(r.out().contains("STALL"), r.out());
        assertTrue(r.out().contains("pool 6 (cpu 3) made no progress for 31.0s with 42 pending"), r.out());
        assertTrue(r.out().contains("\nCPU HOG " + Scenario.Flush.class.getName() + " on events: 1 time(s), up to"
                + " 12.0ms of CPU\n"), r.out());
    }

    @Test
    void workqueuesSharingANameAreOneRowWithTheirCountAndSummedCounters() {
        ToolRun r = ToolRun.of("stat", recording.toString(), "^pool$");
        assertEquals(0, r.status(), r.err());
        // name total infl: 30 + 12 started, 0 + 1 in flight
        assertEquals(Arrays.asList("pool", "(2)", "42", "1"), Arrays.asList(row(r.out(), "pool (2)")).subList(0, 4));
        assertTrue(r.out().contains("(N) N workqueues share this name; their counters are summed"), r.out());
    }

    @Test
    void longNamesAreCutInTheMiddleWithAMarkerAndShortOnesWidenNothing() {
        String out = ToolRun.of("stat", recording.toString()).out();
        String cut = StatCommand.fit(Scenario.LONG_NAME, StatCommand.MAX_NAME_WIDTH);
        assertEquals("com.example.orders...tPublisher-thread-7", cut); // both ends kept, ".." between
        assertEquals(StatCommand.MAX_NAME_WIDTH, cut.length());
        assertTrue(out.lines().anyMatch(l -> l.startsWith(cut + " ")), out);
        String header = out.lines().skip(1).findFirst().orElseThrow();
        assertEquals(StatCommand.MAX_NAME_WIDTH, header.indexOf("total") - 4, "the name column is as wide as allowed");
        String narrow = ToolRun.of("stat", recording.toString(), "^events$").out();
        assertTrue(narrow.lines().skip(1).findFirst().orElseThrow().startsWith(" ".repeat(8 + 1 + 3) + "total "), narrow);
    }

    @Test
    void patternsThatMatchNothingAreAnErrorNamingThem() {
        ToolRun r = ToolRun.of("stat", recording.toString(), "nomatch", "nothing");
        assertEquals(Main.EXIT_FAILURE, r.status(), r.out());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("jwq: stat: no workqueue in " + recording.getFileName()
                + " matches 'nomatch' or 'nothing' (it has "), r.err());
        assertTrue(r.err().contains("events"), r.err());
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
        assertLatency(50, events.get("queueLatencyNanos").get("p50").asLong());
        assertLatency(99, events.get("queueLatencyNanos").get("p99").asLong());
        assertLatency(100, events.get("queueLatencyNanos").get("max").asLong());
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
        assertEquals("1", root.get("workExecutionSettings").get("sampleOneIn").asText());
        assertEquals(2, wq(root, "pool").get("instances").asInt());
        assertEquals(42, wq(root, "pool").get("total").asLong());
        JsonNode hog = root.get("cpuHogs").get(0);
        assertEquals(Scenario.Flush.class.getName(), hog.get("function").asText());
        assertEquals(12_000_000L, hog.get("maxCpuTimeNanos").asLong());
    }

    @Test
    void patternsSelectWorkqueuesAsWqMonitorDoes() throws Exception {
        ToolRun r = ToolRun.of("stat", "-j", recording.toString(), "^kb", "noSt");
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(2, root.get("workqueues").size());
        assertTrue(find(root, "events").isEmpty());
    }

    /**
     * A scripted latency as recorded: at least the script's, plus the moment the scripted item
     * took to start (generous for a loaded machine). Exact percentile ranks are SamplesTest's.
     */
    static void assertLatency(long expectedMillis, long nanos) {
        assertTrue(nanos >= expectedMillis * 1_000_000 && nanos < expectedMillis * 1_000_000 + 500_000_000L,
                "latency " + nanos + " ns, expected " + expectedMillis + " ms");
    }

    static void assertLatency(long expectedMillis, String cell) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9.]+)(ns|us|ms|s)").matcher(cell);
        assertTrue(m.matches(), cell);
        double unit = switch (m.group(2)) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            default -> 1e9;
        };
        // the cell is rounded to three digits: allow that much below
        assertLatency(expectedMillis, (long) Math.ceil(Double.parseDouble(m.group(1)) * unit * 1.005));
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
