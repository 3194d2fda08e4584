package dev.jwq.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
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
        Path rec = Scenario.record(dir);
        html = dir.resolve("report.html");
        ToolRun r = ToolRun.of("report", rec.toString(), html.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("5 workqueues, 1 pools, 1 stalls"), r.out());
        page = Files.readString(html, StandardCharsets.UTF_8);
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
        // every item was committed within the first second: one bucket holding all 100
        JsonNode lat = events.get("latency");
        assertEquals(1, lat.get("t").size());
        StatCommandTest.assertLatency(50, lat.get("p50").get(0).asLong());
        StatCommandTest.assertLatency(99, lat.get("p99").get(0).asLong());
        StatCommandTest.assertLatency(100, lat.get("max").get(0).asLong());
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
    void bucketsAreRoundAndAtMostTwoHundred() {
        assertEquals(1, ReportData.bucketSeconds(10));
        assertEquals(1, ReportData.bucketSeconds(200));
        assertEquals(2, ReportData.bucketSeconds(201));
        assertEquals(5, ReportData.bucketSeconds(900));
        assertEquals(20, ReportData.bucketSeconds(3600));
    }

    /**
     * The charts as a person sees them: the page opened in headless Chromium, its DOM after the
     * inline script ran read back. Skipped where Chromium is not installed (Debian: chromium).
     */
    @Test
    void chartsRenderInHeadlessChromium() throws Exception {
        String chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "chromium is not installed");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("chromium-profile"), "--dump-dom", html.toUri().toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not exit");
        assertTrue(dom.contains("data-rendered=\"true\""), "the script did not finish:\n" + dom);
        // two charts per workqueue, one per pool
        assertEquals(5 * 2 + 1, count(dom, "<svg[^>]*class=\"chart\""));
        assertTrue(Pattern.compile("data-chart=\"latency:events\"").matcher(dom).find());
        Matcher p99 = Pattern.compile("<svg[^>]*data-chart=\"latency:events\".*?<polyline[^>]*data-series=\"p99\""
                + "[^>]*data-points=\"1\"[^>]*data-max=\"(\\d+)\"", Pattern.DOTALL).matcher(dom);
        assertTrue(p99.find(), "events' p99 line");
        assertEquals(find(embedded(page).get("workqueues"), "events").get("latency").get("p99").get(0).asLong(),
                Long.parseLong(p99.group(1)), "the chart draws the embedded p99");
        // the stall is marked on every chart
        assertEquals(11, count(dom, "class=\"stall\""));
        assertTrue(dom.contains("cpu 3 made no progress for 31.0s with 42 pending"), "stall list");
    }

    static String chromium() {
        for (String c : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }

    private static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static double sum(JsonNode a) {
        double s = 0;
        for (JsonNode v : a) {
            s += v.asDouble();
        }
        return s;
    }

    private static JsonNode find(JsonNode array, String name) {
        for (JsonNode w : array) {
            if (w.get("name").asText().equals(name)) {
                return w;
            }
        }
        throw new AssertionError(name + " missing");
    }
}
