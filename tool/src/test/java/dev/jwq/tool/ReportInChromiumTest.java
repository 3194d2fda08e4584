package dev.jwq.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a person sees it: the page {@code jwq report} wrote, opened in headless Chromium
 * (Debian's {@code chromium}, which {@code .ci/run} installs) at a wide and a narrow window. A probe
 * script added to a copy of the page reads back what the browser laid out: each chart's size,
 * its legend's computed colours against its lines', every axis label's text and box.
 */
class ReportInChromiumTest {
    /** Reads the laid-out page into {@code <pre id="probe">} as JSON; runs after the report's own script. */
    private static final String PROBE = """
            <script>
            (function () {
              const rect = e => { const r = e.getBoundingClientRect();
                                  return {x: r.left, y: r.top, w: r.width, h: r.height}; };
              const out = {window: innerWidth, body: document.body.clientWidth,
                           page: document.documentElement.scrollWidth,
                           rendered: document.body.dataset.rendered === "true", charts: []};
              for (const fig of document.querySelectorAll("figure.chart")) {
                const svg = fig.querySelector("svg");
                const empty = fig.querySelector(".empty");
                out.charts.push({
                  id: fig.dataset.chart, box: rect(fig),
                  plot: svg ? rect(svg) : null, viewBoxWidth: svg ? svg.viewBox.baseVal.width : null,
                  empty: empty ? empty.textContent : null,
                  stalls: fig.querySelectorAll("line.stall").length,
                  legend: [...fig.querySelectorAll(".legend .item")].map(i => ({name: i.dataset.series,
                      color: getComputedStyle(i).color, swatch: getComputedStyle(i.querySelector(".swatch")).backgroundColor,
                      box: rect(i)})),
                  lines: [...fig.querySelectorAll("polyline")].map(p => ({name: p.dataset.series,
                      color: getComputedStyle(p).stroke, points: +p.dataset.points, max: +p.dataset.max})),
                  texts: [...fig.querySelectorAll("svg text")].map(t => ({text: t.textContent, axis: t.dataset.axis,
                      box: rect(t)}))});
              }
              const pre = document.createElement("pre");
              pre.id = "probe";
              pre.textContent = JSON.stringify(out);
              document.body.appendChild(pre);
            })();
            </script>
            """;

    @TempDir
    static Path dir;
    static Path probed;
    static JsonNode data;

    @BeforeAll
    static void report() throws Exception {
        String page = ReportCommandTest.scenarioReport(dir.resolve("report.html"));
        data = ReportCommandTest.embedded(page);
        probed = Files.writeString(dir.resolve("probed.html"), page.replace("</body>", PROBE + "</body>"));
    }

    @Test
    void wideWindowChartsShareTheWidthLegendsInTheirLinesColoursAxesInHumanUnits() throws Exception {
        JsonNode page = render(1400);
        assertTrue(page.get("page").asDouble() <= page.get("window").asDouble(), "no horizontal scrolling: " + page);
        double body = page.get("body").asDouble();
        // a workqueue's two charts side by side, together as wide as the page
        JsonNode rate = chart(page, "rate:events");
        JsonNode latency = chart(page, "latency:events");
        assertEquals(rate.get("box").get("y").asDouble(), latency.get("box").get("y").asDouble(), 1, "one row");
        double row = latency.get("box").get("x").asDouble() + latency.get("box").get("w").asDouble()
                - rate.get("box").get("x").asDouble();
        assertEquals(body, row, 2, "the row fills the page");
        assertTrue(rate.get("box").get("w").asDouble() > 600, "at 1400 px each of the two is over 600 px: " + rate);
        for (JsonNode c : page.get("charts")) {
            if (c.get("plot").isNull()) {
                continue;
            }
            // drawn at its own width, so text keeps its size (no scaled-down viewBox)
            assertEquals(c.get("plot").get("w").asDouble(), c.get("viewBoxWidth").asDouble(), 1, c.get("id").asText());
            assertLegendMatchesLines(c);
            assertAxes(c);
            assertEquals(1, c.get("stalls").asInt(), "the stall on " + c.get("id").asText());
        }
        assertLatencyInDurations(latency);
        JsonNode p99 = line(latency, "p99");
        JsonNode embedded = ReportCommandTest.find(data.get("workqueues"), "events").get("latency").get("p99");
        long embeddedMax = 0;
        for (JsonNode v : embedded) {
            embeddedMax = Math.max(embeddedMax, v.asLong());
        }
        assertEquals(embedded.size(), p99.get("points").asInt());
        assertEquals(embeddedMax, p99.get("max").asLong(), "the chart draws the embedded p99");
    }

    @Test
    void narrowWindowOneColumnNoOverflow() throws Exception {
        JsonNode page = render(700);
        assertTrue(page.get("page").asDouble() <= page.get("window").asDouble(),
                "the table scrolls in its box, the page does not: " + page);
        double body = page.get("body").asDouble();
        for (JsonNode c : page.get("charts")) {
            assertEquals(body, c.get("box").get("w").asDouble(), 2, c.get("id").asText() + " takes the column");
            if (!c.get("plot").isNull()) {
                assertEquals(c.get("plot").get("w").asDouble(), c.get("viewBoxWidth").asDouble(), 1);
                assertAxes(c);
            }
        }
    }

    @Test
    void chartsWithoutDataSayWhyInsteadOfDrawingAnEmptyBox() throws Exception {
        JsonNode page = render(1400);
        // "pool" and the long-named workqueue have statistics but no recorded item
        for (String id : List.of("latency:pool", "latency:" + Scenario.LONG_NAME)) {
            JsonNode c = chart(page, id);
            assertTrue(c.get("plot").isNull(), id + " has no plot");
            assertTrue(c.get("empty").asText().startsWith("No recorded items"), c.toString());
        }
        for (JsonNode c : page.get("charts")) {
            for (JsonNode l : c.get("lines")) {
                assertTrue(l.get("points").asInt() > 0, "a line without points in " + c.get("id").asText());
            }
        }
        assertFalse(chart(page, "rate:pool").get("plot").isNull(), "pool's statistics give its rate");
    }

    private static void assertLegendMatchesLines(JsonNode c) {
        Set<String> colours = new HashSet<>();
        assertEquals(c.get("lines").size(), c.get("legend").size(), c.get("id").asText());
        for (JsonNode item : c.get("legend")) {
            String colour = item.get("color").asText();
            assertEquals(line(c, item.get("name").asText()).get("color").asText(), colour,
                    "legend label " + item.get("name") + " in its line's colour, " + c.get("id"));
            assertEquals(colour, item.get("swatch").asText());
            assertTrue(colours.add(colour), "two series of " + c.get("id") + " in one colour " + colour);
            assertNotEquals("rgb(85, 85, 85)", colour, "grey labels cannot be told apart");
        }
    }

    /** Axis labels: plain numbers with units, no exponent, at least three on the time axis, none overlapping. */
    private static void assertAxes(JsonNode c) {
        int x = 0;
        for (JsonNode t : c.get("texts")) {
            String text = t.get("text").asText();
            JsonNode box = t.get("box");
            JsonNode plot = c.get("plot");
            assertTrue(box.get("x").asDouble() >= plot.get("x").asDouble() - 0.5 && box.get("x").asDouble()
                    + box.get("w").asDouble() <= plot.get("x").asDouble() + plot.get("w").asDouble() + 0.5,
                    "label '" + text + "' cut off at the edge of " + c.get("id"));
            assertFalse(Pattern.compile("\\de[+-]?\\d").matcher(text).find(), "exponent in " + text);
            if (t.get("axis").asText().equals("x")) {
                x++;
                assertTrue(text.matches("[0-9.]+ (s|min|h)"), "time label " + text);
            }
        }
        assertTrue(x >= 3, "time axis labels of " + c.get("id") + ": " + c.get("texts"));
        List<JsonNode> texts = List.copyOf(iterable(c.get("texts")));
        for (int i = 0; i < texts.size(); i++) {
            for (int j = i + 1; j < texts.size(); j++) {
                assertFalse(overlap(texts.get(i).get("box"), texts.get(j).get("box")),
                        c.get("id") + ": '" + texts.get(i).get("text") + "' overlaps '" + texts.get(j).get("text") + "'");
            }
        }
        for (JsonNode item : c.get("legend")) {
            assertTrue(item.get("box").get("y").asDouble() + item.get("box").get("h").asDouble()
                    <= c.get("plot").get("y").asDouble() + 0.5, "the legend sits above the plot, off its lines");
        }
    }

    private static void assertLatencyInDurations(JsonNode c) {
        for (JsonNode t : c.get("texts")) {
            if (t.get("axis").asText().equals("y") && !t.get("text").asText().equals("0")) {
                assertTrue(t.get("text").asText().matches("[0-9.]+ (ns|µs|ms|s)"), "latency label " + t.get("text"));
            }
        }
    }

    private static boolean overlap(JsonNode a, JsonNode b) {
        return a.get("x").asDouble() < b.get("x").asDouble() + b.get("w").asDouble()
                && b.get("x").asDouble() < a.get("x").asDouble() + a.get("w").asDouble()
                && a.get("y").asDouble() < b.get("y").asDouble() + b.get("h").asDouble()
                && b.get("y").asDouble() < a.get("y").asDouble() + a.get("h").asDouble();
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> l = new java.util.ArrayList<>();
        array.forEach(l::add);
        return l;
    }

    private static JsonNode chart(JsonNode page, String id) {
        for (JsonNode c : page.get("charts")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no chart " + id);
    }

    private static JsonNode line(JsonNode chart, String name) {
        for (JsonNode l : chart.get("lines")) {
            if (l.get("name").asText().equals(name)) {
                return l;
            }
        }
        throw new AssertionError("no line " + name + " in " + chart.get("id"));
    }

    /** The probe's reading of the page in a {@code width} px wide window. */
    private static JsonNode render(int width) throws Exception {
        String chromium = chromium();
        ProcessBuilder p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"),
                "--window-size=" + width + ",1000", "--dump-dom", probed.toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        BoundedRun r = BoundedRun.of(p, 60);
        assertTrue(r.exited(), () -> r.describe("chromium"));
        String dom = r.out();
        Matcher m = Pattern.compile("<pre id=\"probe\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        if (!m.find()) {
            fail("the probe did not run; the page's script failed?\n" + dom);
        }
        String json = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
        JsonNode page = new ObjectMapper().readTree(json);
        assertTrue(page.get("rendered").asBoolean(), "the report's script did not finish");
        assertEquals(width, page.get("window").asInt());
        return page;
    }

    /**
     * Chromium, which CI installs ({@code .ci/run}): missing there, the test fails; missing on a
     * developer's machine, it is skipped with a line on stderr saying so and how to install it.
     */
    private static String chromium() {
        for (String c : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        String why = "headless Chromium is not installed (Debian: apt-get install chromium); the report's rendering"
                + " is not checked";
        assertNotNull(System.getenv("CI") == null ? "" : null, "CI must have Chromium (.ci/run installs it): " + why);
        System.err.println("SKIPPED ReportInChromiumTest: " + why);
        Assumptions.abort(why);
        return null;
    }
}
