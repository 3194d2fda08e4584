package dev.jwq.tool;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code jwq stat [-j] REC.jfr [REGEX...]}: {@code wq_monitor.py}'s table, one row per workqueue
 * (its counters at the end of the recording, cumulative since the workqueue was created), then
 * the recorded items' queue latency and run time (p50, p99, max). {@code -j} prints the same as
 * one JSON object. REGEX patterns select workqueues by name, as wq_monitor's do.
 */
final class StatCommand {
    static final String USAGE = "stat [-j] REC.jfr [REGEX...]";

    private StatCommand() {
    }

    static void run(List<String> args, PrintStream out, PrintStream err) throws ToolException {
        boolean json = false;
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.equals("-j") || a.equals("--json")) {
                json = true;
            } else if (a.startsWith("-") && rest.isEmpty()) {
                throw new ToolException(Main.EXIT_USAGE, "stat: unknown option " + a + "\nusage: jwq " + USAGE);
            } else {
                rest.add(a);
            }
        }
        if (rest.isEmpty()) {
            throw new ToolException(Main.EXIT_USAGE, "stat: which recording?\nusage: jwq " + USAGE);
        }
        Pattern filter = NamePatterns.compile("stat", rest.subList(1, rest.size()));
        RecordingData d = RecordingData.read(Main.path(rest.get(0)), err);
        List<RecordingData.Workqueue> rows = d.workqueues.values().stream()
                .filter(w -> filter == null || filter.matcher(w.name).find()).toList();
        out.print(json ? json(d, rows) : table(d, rows));
        out.flush();
    }

    static String table(RecordingData d, List<RecordingData.Workqueue> rows) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s: %s .. %s%n", d.file.getFileName(), Instant.ofEpochSecond(0, d.firstNanos),
                Instant.ofEpochSecond(0, d.lastNanos)));
        b.append(String.format(Locale.ROOT, "%-24s %8s %5s %8s %7s %7s %7s %7s | %7s %8s %8s %8s %8s %8s %8s%n",
                "", "total", "infl", "CPUtime", "CPUitsv", "CMW/RPR", "mayday", "rescued",
                "items", "lat p50", "lat p99", "lat max", "run p50", "run p99", "run max"));
        boolean anyWithoutStats = false;
        for (RecordingData.Workqueue w : rows) {
            RecordingData.WqStat s = w.lastStat();
            String name = w.name.length() > 24 ? w.name.substring(w.name.length() - 24) : w.name;
            if (s == null) {
                anyWithoutStats = true;
                b.append(String.format(Locale.ROOT, "%-24s %8s %5s %8s %7s %7s %7s %7s", name + "*", "-", "-", "-",
                        "-", "-", w.maydayEvents > 0 ? Long.toString(w.maydayEvents) : "-",
                        w.rescuedItems > 0 ? Long.toString(w.rescuedItems) : "-"));
            } else {
                // As wq_monitor.py: CPUitsv and CMW for per-CPU workqueues, RPR for unbound ones,
                // mayday and rescued only where there is a rescuer.
                String cpuItsv = s.unbound() ? "-" : Long.toString(s.cpuIntensive());
                String cmwRpr = Long.toString(s.unbound() ? s.repatriated() : s.cmWakeups());
                String mayday = s.memReclaim() ? Long.toString(s.maydays()) : "-";
                String rescued = s.memReclaim() ? Long.toString(s.rescued()) : "-";
                b.append(String.format(Locale.ROOT, "%-24s %8d %5d %8.1f %7s %7s %7s %7s", name, s.started(),
                        Math.max(0, s.started() - s.completed()), s.cpuTime() / 1e9, cpuItsv, cmwRpr, mayday, rescued));
            }
            b.append(String.format(Locale.ROOT, " | %7d %8s %8s %8s %8s %8s %8s%n", w.latencies.size(),
                    Durations.format(w.latencies.percentile(50)), Durations.format(w.latencies.percentile(99)),
                    Durations.format(w.latencies.percentile(100)), Durations.format(w.runTimes.percentile(50)),
                    Durations.format(w.runTimes.percentile(99)), Durations.format(w.runTimes.percentile(100))));
        }
        if (anyWithoutStats) {
            b.append("* no WorkqueueStatistics in the recording for this workqueue; mayday and rescued count events\n");
        }
        b.append(coverage(d)).append('\n');
        for (RecordingData.Stall s : d.stalls) {
            b.append(String.format(Locale.ROOT, "STALL %s: pool %d (cpu %d) made no progress for %s with %d pending%n",
                    Instant.ofEpochSecond(0, s.time()), s.pool(), s.cpu(), Durations.format(s.stalledFor()), s.pending()));
        }
        return b.toString();
    }

    /** Which items the percentiles cover, from the WorkExecution settings the recording used. */
    static String coverage(RecordingData d) {
        String sample = d.executionSettings.get("sampleOneIn");
        String threshold = d.executionSettings.get("threshold");
        if ("false".equals(d.executionSettings.get("enabled"))) {
            return "items: WorkExecution was off in this recording; no latency or run time";
        }
        StringBuilder b = new StringBuilder("items: recorded WorkExecution events; p50/p99/max are nearest-rank");
        if (sample == null) {
            b.append("; sampling unknown (no jdk.ActiveSetting in the recording)");
        } else if (!sample.trim().equals("1")) {
            b.append("; a uniform sample of one item in ").append(sample.trim()).append(" (sampleOneIn)");
        }
        if (threshold != null && !threshold.trim().matches("0+\\s*[a-z]*")) {
            b.append("; only items that ran >= ").append(threshold).append(" (threshold)");
        }
        return b.toString();
    }

    static String json(RecordingData d, List<RecordingData.Workqueue> rows) {
        Json j = new Json().beginObject();
        j.field("recording", d.file.toString());
        j.field("start", Instant.ofEpochSecond(0, d.firstNanos).toString());
        j.field("end", Instant.ofEpochSecond(0, d.lastNanos).toString());
        j.name("workExecutionSettings").beginObject();
        d.executionSettings.forEach(j::field);
        j.endObject();
        j.name("workqueues").beginArray();
        for (RecordingData.Workqueue w : rows) {
            j.beginObject().field("name", w.name);
            RecordingData.WqStat s = w.lastStat();
            j.field("statistics", s != null);
            if (s != null) {
                j.field("unbound", s.unbound()).field("memReclaim", s.memReclaim())
                        .field("total", s.started()).field("completed", s.completed())
                        .field("inFlight", Math.max(0, s.started() - s.completed()))
                        .field("cpuTimeNanos", s.cpuTime()).field("cpuIntensive", s.cpuIntensive())
                        .field("cmWakeups", s.cmWakeups()).field("repatriated", s.repatriated())
                        .field("mayday", s.maydays()).field("rescued", s.rescued())
                        .field("maxActive", s.maxActive()).field("active", s.active())
                        .field("inactive", s.inactive());
            }
            j.field("items", w.latencies.size()).field("failures", w.failures)
                    .field("cpuIntensiveItems", w.cpuIntensiveItems).field("maydayEvents", w.maydayEvents)
                    .field("rescueEvents", w.rescueEvents).field("rescuedItems", w.rescuedItems)
                    .field("cpuHogEvents", w.cpuHogEvents);
            percentiles(j, "queueLatencyNanos", w.latencies);
            percentiles(j, "runTimeNanos", w.runTimes);
            j.endObject();
        }
        j.endArray();
        j.name("stalls").beginArray();
        for (RecordingData.Stall s : d.stalls) {
            j.beginObject().field("time", Instant.ofEpochSecond(0, s.time()).toString()).field("pool", s.pool())
                    .field("cpu", s.cpu()).field("stalledForNanos", s.stalledFor()).field("pending", s.pending())
                    .endObject();
        }
        j.endArray();
        return j.endObject() + "\n";
    }

    private static void percentiles(Json j, String name, Samples s) {
        j.name(name).beginObject();
        if (s.size() > 0) {
            j.field("p50", s.percentile(50)).field("p99", s.percentile(99)).field("max", s.percentile(100));
        }
        j.endObject();
    }
}
