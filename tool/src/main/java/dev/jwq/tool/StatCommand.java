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
    static final String HELP = """
            wq_monitor's table per workqueue (total, infl, CPUtime, CPUitsv, CMW/RPR, mayday, rescued),
            counted at the end of the recording, and the recorded items' queue latency and run time
            (p50, p99, max); then stalls and CPU hogs by function. Workqueues that share a name are one
            row, "name (N)", their counters summed. -j prints the same as JSON (times in nanoseconds);
            REGEX patterns select workqueues by name (any pattern found in the name).""";
    /** The name column grows to the longest name up to this width; longer names are cut in the middle. */
    static final int MAX_NAME_WIDTH = 40;

    private StatCommand() {
    }

    static void run(List<String> args, PrintStream out, PrintStream err, Terminal terminal) throws ToolException {
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
        List<String> patterns = rest.subList(1, rest.size());
        Pattern filter = NamePatterns.compile("stat", patterns);
        RecordingData d = RecordingData.read(Main.path(rest.get(0)), err, terminal.err());
        List<RecordingData.Workqueue> rows = d.workqueues.values().stream()
                .filter(w -> NamePatterns.matches(filter, w.name)).toList();
        if (rows.isEmpty()) {
            throw new ToolException(Main.EXIT_FAILURE, "stat: no workqueue in " + d.file.getFileName() + " matches "
                    + NamePatterns.quoted(patterns) + " (it has " + names(d) + ")");
        }
        out.print(json ? json(d, rows) : table(d, rows));
        out.flush();
    }

    /** The recording's workqueue names, for a message: the first ten and how many more. */
    private static String names(RecordingData d) {
        List<String> all = List.copyOf(d.workqueues.keySet());
        String shown = String.join(", ", all.subList(0, Math.min(10, all.size())));
        return all.size() > 10 ? shown + " and " + (all.size() - 10) + " more" : shown;
    }

    /** A row's name: the workqueue's, with the number of workqueues sharing it and a mark when it has no statistics. */
    static String label(RecordingData.Workqueue w) {
        int n = w.instances();
        return w.name + (n > 1 ? " (" + n + ")" : "") + (w.total() == null ? "*" : "");
    }

    /** {@code s} cut to {@code width} by replacing its middle with "..", so both ends (prefix and number) stay. */
    static String fit(String s, int width) {
        if (s.length() <= width) {
            return s;
        }
        int head = (width - 2 + 1) / 2;
        int tail = width - 2 - head;
        return s.substring(0, head) + ".." + s.substring(s.length() - tail);
    }

    static String table(RecordingData d, List<RecordingData.Workqueue> rows) {
        int width = 8;
        for (RecordingData.Workqueue w : rows) {
            width = Math.max(width, Math.min(MAX_NAME_WIDTH, label(w).length()));
        }
        String nameColumn = "%-" + width + "s";
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s: %s .. %s%n", d.file.getFileName(), Instant.ofEpochSecond(0, d.firstNanos),
                Instant.ofEpochSecond(0, d.lastNanos)));
        b.append(String.format(Locale.ROOT, nameColumn + " %8s %5s %8s %7s %7s %7s %7s | %7s %8s %8s %8s %8s %8s %8s%n",
                "", "total", "infl", "CPUtime", "CPUitsv", "CMW/RPR", "mayday", "rescued",
                "items", "lat p50", "lat p99", "lat max", "run p50", "run p99", "run max"));
        boolean anyWithoutStats = false;
        boolean anyShared = false;
        for (RecordingData.Workqueue w : rows) {
            RecordingData.WqStat s = w.total();
            String name = fit(label(w), width);
            anyShared |= w.instances() > 1;
            if (s == null) {
                anyWithoutStats = true;
                b.append(String.format(Locale.ROOT, nameColumn + " %8s %5s %8s %7s %7s %7s %7s", name, "-", "-", "-",
                        "-", "-", w.maydayEvents > 0 ? Long.toString(w.maydayEvents) : "-",
                        w.rescuedItems > 0 ? Long.toString(w.rescuedItems) : "-"));
            } else {
                // As wq_monitor.py: CPUitsv and CMW for per-CPU workqueues, RPR for unbound ones,
                // mayday and rescued only where there is a rescuer.
                String cpuItsv = s.unbound() ? "-" : Long.toString(s.cpuIntensive());
                String cmwRpr = Long.toString(s.unbound() ? s.repatriated() : s.cmWakeups());
                String mayday = s.memReclaim() ? Long.toString(s.maydays()) : "-";
                String rescued = s.memReclaim() ? Long.toString(s.rescued()) : "-";
                b.append(String.format(Locale.ROOT, nameColumn + " %8d %5d %8s %7s %7s %7s %7s", name, s.started(),
                        Math.max(0, s.started() - s.completed()), Durations.format(s.cpuTime()), cpuItsv, cmwRpr,
                        mayday, rescued));
            }
            b.append(String.format(Locale.ROOT, " | %7d %8s %8s %8s %8s %8s %8s%n", w.latencies.size(),
                    Durations.format(w.latencies.percentile(50)), Durations.format(w.latencies.percentile(99)),
                    Durations.format(w.latencies.percentile(100)), Durations.format(w.runTimes.percentile(50)),
                    Durations.format(w.runTimes.percentile(99)), Durations.format(w.runTimes.percentile(100))));
        }
        if (anyShared) {
            b.append("(N) N workqueues share this name; their counters are summed\n");
        }
        if (anyWithoutStats) {
            b.append("* no WorkqueueStatistics in the recording for this workqueue; mayday and rescued count events\n");
        }
        b.append(coverage(d)).append('\n');
        for (RecordingData.Stall s : d.stalls) {
            b.append(String.format(Locale.ROOT, "STALL %s: pool %d (cpu %d) made no progress for %s with %d pending%n",
                    Instant.ofEpochSecond(0, s.time()), s.pool(), s.cpu(), Durations.format(s.stalledFor()), s.pending()));
        }
        for (RecordingData.Hog h : d.hogs.values()) {
            if (rows.stream().anyMatch(w -> w.name.equals(h.workqueue()))) {
                b.append(String.format(Locale.ROOT, "CPU HOG %s on %s: %d time(s), up to %s of CPU%n", h.function(),
                        h.workqueue(), h.count(), Durations.format(h.maxCpuTime())));
            }
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
            RecordingData.WqStat s = w.total();
            j.field("statistics", s != null).field("instances", Math.max(1, w.instances()));
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
        j.name("cpuHogs").beginArray();
        for (RecordingData.Hog h : d.hogs.values()) {
            if (rows.stream().anyMatch(w -> w.name.equals(h.workqueue()))) {
                j.beginObject().field("function", h.function()).field("workqueue", h.workqueue())
                        .field("count", h.count()).field("maxCpuTimeNanos", h.maxCpuTime()).endObject();
            }
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
