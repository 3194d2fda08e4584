package dev.jwq.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    static Path dir;
    static Path html;
    static String page;

    @BeforeAll
    static void report() throws Exception {
        html = dir.resolve("report.html");
        page = scenarioReport(html);
    }

    /** {@code jwq report} of the {@link Scenario} written to {@code html}; the page. */
    static String scenarioReport(Path html) throws Exception {
        Path rec = Scenario.record(html.getParent());
        ToolRun r = ToolRun.of("report", rec.toString(), html.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("5 workqueues, 1 pools, 1 stalls"), r.out());
        return Files.readString(html, StandardCharsets.UTF_8);
    }

    static JsonNode embedded(String page) throws Exception {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"jwq-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(page);
        assertTrue(m.find(), "no data block");
        return new ObjectMapper().readTree(m.group(1));
    }

    @Test
    void pageIsSelfContained() {
        assertFalse(page.contains("__JWQ_DATA__"));
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(page).find(), "loads something from the network");
        assertFalse(page.contains("<script src"), "external script");
    }

    @Test
    void embeddedDataMatchesTheScenario() throws Exception {
        JsonNode d = embedded(page);
        JsonNode events = find(d.get("workqueues"), "events");
        // items/s from statistics: started stays at 1000 between samples
        assertEquals("statistics", events.get("rate").get("source").asText());
        for (JsonNode v : events.get("rate").get("v")) {
            assertEquals(0.0, v.asDouble());
        }
        // the latency chart's points lie within the recording, and its highest max is the scenario's 100 ms
        JsonNode lat = events.get("latency");
        assertTrue(lat.get("t").size() >= 1);
        double maxMax = 0;
        for (int k = 0; k < lat.get("t").size(); k++) {
            assertTrue(lat.get("t").get(k).asDouble() <= d.get("spanSeconds").asDouble(), lat.toString());
            maxMax = Math.max(maxMax, lat.get("max").get(k).asDouble());
        }
        StatCommandTest.assertLatency(100, (long) maxMax);
        JsonNode noStats = find(d.get("workqueues"), "noStats");
        assertEquals("items", noStats.get("rate").get("source").asText());
        assertEquals(3.0, sum(noStats.get("rate").get("v")) * d.get("bucketSeconds").asDouble(), 1e-9);
        JsonNode pool = d.get("pools").get(0);
        assertEquals("cpu 3", pool.get("name").asText());
        assertTrue(pool.get("t").size() >= 3);
        for (JsonNode w : pool.get("workers")) {
            assertEquals(4, w.asInt());
        }
        assertEquals(1, pool.get("created").asInt());
        JsonNode stall = d.get("stalls").get(0);
        assertEquals(6, stall.get("pool").asInt());
        assertEquals("cpu 3", stall.get("poolName").asText());
        assertEquals(31_000_000_000L, stall.get("stalledForNanos").asLong());
        assertEquals(100, find(d.get("stat").get("workqueues"), "events").get("items").asInt());
    }

    @Test
    void bucketsAreRoundAtMostTwoHundredAndAtLeastTwentyInAShortRecording() {
        assertEquals(0.02, ReportData.bucketSeconds(0.22), 1e-12);
        assertEquals(0.5, ReportData.bucketSeconds(10), 1e-12);
        assertEquals(1, ReportData.bucketSeconds(20));
        assertEquals(1, ReportData.bucketSeconds(200));
        assertEquals(2, ReportData.bucketSeconds(201));
        assertEquals(5, ReportData.bucketSeconds(900));
        assertEquals(20, ReportData.bucketSeconds(3600));
    }

    private static double sum(JsonNode a) {
        double s = 0;
        for (JsonNode v : a) {
            s += v.asDouble();
        }
        return s;
    }

    static JsonNode find(JsonNode array, String name) {
        for (JsonNode w : array) {
            if (w.get("name").asText().equals(name)) {
                return w;
            }
        }
        throw new AssertionError(name + " missing");
    }
}
