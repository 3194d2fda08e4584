package dev.jwq.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code jwq top PID [-i SECONDS] [-n COUNT] [REGEX...]}: {@code wq_monitor.py -i 1} against a
 * running JVM. Every interval one table of its workqueues (wq_monitor's cumulative counters plus
 * {@code total/s}, the rate of started items since the previous table) and one line per busy
 * pool. Runs until interrupted, or until COUNT tables were printed; {@code -i 0} prints one table
 * and exits, as wq_monitor does. On a terminal each table replaces the previous one, as
 * {@code top} does; into a pipe or a file the tables follow each other.
 */
final class TopCommand {
    static final String USAGE = "top PID [-i SECONDS] [-n COUNT] [REGEX...]";
    static final String HELP = """
            Attaches to a running JVM (as jconsole does; run it as the same user) and prints
            wq_monitor's table every SECONDS (default 1; 0 prints one table and exits): per workqueue
            total, total/s, infl, CPUitsv, CMW, mayday, rescued, then the busy pools. On a terminal
            the table is redrawn in place; piped, tables follow each other. Stops after COUNT tables
            or when interrupted; REGEX patterns select workqueues by name.""";
    /** Cursor to the top left; erase to the end of the line; erase below the cursor (ANSI / VT100). */
    static final String HOME = "\u001b[H";
    static final String ERASE_LINE = "\u001b[K";
    static final String ERASE_BELOW = "\u001b[J";

    private TopCommand() {
    }

    static void run(List<String> args, PrintStream out, Terminal terminal) throws ToolException {
        long intervalNanos = TimeUnit.SECONDS.toNanos(1);
        long count = 0; // 0: until interrupted
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-i", "--interval" -> intervalNanos = seconds(value(args, ++i, a));
                case "-n", "--count" -> count = positive(value(args, ++i, a));
                default -> {
                    if (a.startsWith("-") && rest.isEmpty()) {
                        throw usage("unknown option " + a);
                    }
                    rest.add(a);
                }
            }
        }
        if (rest.isEmpty()) {
            throw usage("which PID?");
        }
        Pattern filter = NamePatterns.compile("top", rest.subList(1, rest.size()));
        if (intervalNanos == 0) {
            count = 1;
        }
        try (Target target = Target.attach("top", rest.get(0))) {
            LiveStats previous = null;
            long start = System.nanoTime();
            for (long printed = 1; ; printed++) {
                LiveStats now = read(target);
                String table = table(target.pid, Instant.now(), previous, now, filter);
                out.print(terminal.out() ? redraw(table) : table);
                out.flush();
                if (printed == count) {
                    return;
                }
                previous = now;
                // Fixed rate: the next table is due `printed` intervals after the first, however long reading took.
                long wait = start + printed * intervalNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // interrupted: stop refreshing, as Ctrl-C stops wq_monitor
        }
    }

    /**
     * {@code table} drawn over the previous one: from the top left corner, each line erased to its
     * end, and whatever the previous table had below erased (no blank line before the title).
     */
    static String redraw(String table) {
        StringBuilder b = new StringBuilder(HOME);
        table.strip().lines().forEach(l -> b.append(l).append(ERASE_LINE).append('\n'));
        return b.append(ERASE_BELOW).toString();
    }

    private static LiveStats read(Target target) throws ToolException {
        try {
            return LiveStats.read(target.mbeans);
        } catch (IOException e) {
            throw target.lost(e);
        }
    }

    /**
     * One refresh: the workqueues {@code filter} selects, with rates against {@code previous}
     * (null for the first table), and the busy pools.
     */
    static String table(long pid, Instant when, LiveStats previous, LiveStats now, Pattern filter) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%njwq top: PID %d, %s%n", pid, when.truncatedTo(ChronoUnit.SECONDS)));
        b.append(String.format(Locale.ROOT, "%-24s %8s %8s %5s %7s %7s %7s %7s%n", "", "total", "total/s", "infl",
                "CPUitsv", "CMW", "mayday", "rescued"));
        Map<String, LiveStats.Wq> before = new HashMap<>();
        if (previous != null) {
            previous.workqueues().forEach(w -> before.put(w.name(), w));
        }
        double seconds = previous == null ? 0 : (now.nanoTime() - previous.nanoTime()) / 1e9;
        for (LiveStats.Wq w : now.workqueues()) {
            if (!NamePatterns.matches(filter, w.name())) {
                continue;
            }
            LiveStats.Wq was = before.get(w.name());
            String rate = was == null || seconds <= 0 ? "-"
                    : String.format(Locale.ROOT, "%.1f", (w.started() - was.started()) / seconds);
            // As wq_monitor.py: CPUitsv and CMW only for per-CPU workqueues (the MXBean has no
            // RPR for unbound ones), mayday and rescued only where there is a rescuer.
            String name = w.name().length() > 24 ? w.name().substring(w.name().length() - 24) : w.name();
            b.append(String.format(Locale.ROOT, "%-24s %8d %8s %5d %7s %7s %7s %7s%n", name, w.started(), rate,
                    w.inFlight(), w.unbound() ? "-" : Long.toString(w.cpuIntensive()),
                    w.unbound() ? "-" : Long.toString(w.cmWakeups()),
                    w.memReclaim() ? Long.toString(w.maydays()) : "-",
                    w.memReclaim() ? Long.toString(w.rescued()) : "-"));
        }
        List<LiveStats.Pool> busy = now.pools().stream().filter(LiveStats.Pool::busy).toList();
        b.append(String.format(Locale.ROOT, "pools: %d, %d busy%n", now.pools().size(), busy.size()));
        for (LiveStats.Pool p : busy) {
            b.append(String.format(Locale.ROOT, "pool[%03d] %-16s workers=%d idle=%d running=%d pending=%d%n", p.id(),
                    p.describe(), p.workers(), p.idle(), p.running(), p.pending()));
        }
        return b.toString();
    }

    private static String value(List<String> args, int i, String option) throws ToolException {
        if (i >= args.size()) {
            throw usage(option + " needs a value");
        }
        return args.get(i);
    }

    private static long seconds(String s) throws ToolException {
        try {
            double v = Double.parseDouble(s);
            if (v >= 0 && v <= TimeUnit.DAYS.toSeconds(1)) {
                return Math.round(v * 1e9);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usage("-i takes seconds between 0 and 86400, not '" + s + "'");
    }

    private static long positive(String s) throws ToolException {
        try {
            long v = Long.parseLong(s);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usage("-n takes a positive count of tables, not '" + s + "'");
    }

    private static ToolException usage(String problem) {
        return new ToolException(Main.EXIT_USAGE, "top: " + problem + "\nusage: jwq " + USAGE);
    }
}
