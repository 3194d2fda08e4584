package dev.jwq.bench.cpusleep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The blocking load of issues 3 and 12: items that each burn 1 ms of CPU and then sleep 4 ms,
 * queued from one and from ncpu external threads, run on jwq and on the JDK's executors side by
 * side in one process. A perfect executor keeps every core busy
 * burning, so its wall time is the total CPU work divided by the cores (the "ideal"); to get
 * there it needs about five items in flight per core (one burning, four asleep).
 *
 * <p>A harness rather than JMH: each measurement is a multi-second wall time of a whole batch
 * plus the peak thread count during it, taken a few times per executor, where JMH's iteration
 * model (many short operations, per-operation timing) adds nothing and hides the thread peak.
 *
 * <p>Run with {@code java -cp bench/target/benchmarks.jar dev.jwq.bench.cpusleep.CpuSleepBenchmark
 * [options]}; see {@link Options#USAGE}. Prints one line per run, then a Markdown table.
 */
public final class CpuSleepBenchmark {
    private CpuSleepBenchmark() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        run(options, System.out);
    }

    /** Runs every executor of {@code options} in turn, for each submitter count; returns their summaries. */
    static List<Summary> run(Options o, PrintStream out) throws Exception {
        int ncpu = Runtime.getRuntime().availableProcessors();
        CpuBurner burner = new CpuBurner(TimeUnit.MICROSECONDS.toNanos(o.cpuMicros()));
        long sleepNanos = TimeUnit.MICROSECONDS.toNanos(o.sleepMicros());
        out.printf(Locale.ROOT, "# cpu+sleep benchmark, %s%n", Instant.now());
        out.printf(Locale.ROOT, "# %d items of %d us CPU + %d us sleep from %s submitter threads; %d warm-up round(s) of %d items + %d measured; each round runs every executor once per submitter count%n",
                o.items(), o.cpuMicros(), o.sleepMicros(), o.submitters(), o.warmups(), o.warmupItems(), o.runs());
        out.printf(Locale.ROOT, "# ncpu (availableProcessors) %d, java %s (%s), jwq settings %s%n",
                ncpu, Runtime.version(), System.getProperty("java.vm.name"), jwqProperties());
        if (CarrierCpuClock.available()) {
            out.println("# virtual threads burn until their carrier's CPU clock (clock_gettime) has advanced as much");
        } else {
            out.printf(Locale.ROOT, "# virtual threads burn %d calibrated loop chunks (their carrier's CPU clock cannot be read here)%n",
                    burner.calibratedChunks());
        }
        out.println("# executor submitters run wall_s ideal_s ratio workers jvm_peak_threads threads_at_start mean_in_flight peak_in_flight cpu_busy cpu_ms_per_item load1");
        // Rounds: every executor runs once per round, so a neighbour's burst on this shared
        // machine falls on all of them alike instead of on whichever ran at the time.
        Map<Key, List<RunResult>> measured = new LinkedHashMap<>();
        for (int round = 0; round < o.warmups() + o.runs(); round++) {
            boolean warm = round < o.warmups();
            for (int submitters : o.submitters()) {
                for (Executor e : o.executors()) {
                    RunResult res = new Run(e, warm ? o.warmupItems() : o.items(), burner, sleepNanos, ncpu, submitters).execute();
                    String run = warm ? "warmup" : String.valueOf(round - o.warmups() + 1);
                    out.printf(Locale.ROOT, "%s %d %s %.3f %.3f %.3f %d %d %d %.2f %d %.3f %.3f %.2f%n", e.label, submitters,
                            run, res.wallNanos() / 1e9, res.idealNanos() / 1e9, res.ratio(), res.workers(), res.jvmPeakThreads(),
                            res.threadsAtStart(), res.meanInFlight(), res.peakInFlight(), res.cpuBusy(ncpu), res.cpuPerItemMillis(), res.loadAverage());
                    out.flush();
                    if (!warm) {
                        measured.computeIfAbsent(new Key(e, submitters), k -> new ArrayList<>()).add(res);
                        if (o.json() != null) {
                            appendJson(o.json(), e, run, res, ncpu);
                        }
                    }
                }
            }
        }
        List<Summary> summaries = new ArrayList<>();
        measured.forEach((k, runs) -> summaries.add(new Summary(k.executor(), k.submitters(), runs)));
        out.println();
        out.println(Summary.tableHeader());
        for (Summary s : summaries) {
            out.println(s.tableRow(ncpu));
        }
        out.printf(Locale.ROOT, "%nTarget (issue 12): wall / ideal <= %.2f with at most %d threads running items (2 x ncpu + %d).%n",
                Summary.TARGET_RATIO, Summary.allowedWorkers(ncpu), Summary.EXTRA_THREADS);
        return summaries;
    }

    /** An executor fed by a number of submitters: one row of the table. */
    private record Key(Executor executor, int submitters) {}

    /** One measured run as a JSON line, for bench/table.py. */
    private static void appendJson(String file, Executor e, String run, RunResult r, int ncpu) throws IOException {
        String line = String.format(Locale.ROOT,
                "{\"executor\":\"%s\",\"submitters\":%d,\"run\":%s,\"ncpu\":%d,\"wall_s\":%.4f,\"ideal_s\":%.4f,"
                        + "\"ratio\":%.4f,\"workers\":%d,\"jvm_peak_threads\":%d,\"threads_at_start\":%d,"
                        + "\"mean_in_flight\":%.2f,\"peak_in_flight\":%d,\"cpu_busy\":%.4f,\"cpu_ms_per_item\":%.4f,"
                        + "\"load1\":%.2f,\"jwq_settings\":\"%s\"}%n",
                e.label, r.submitters(), run, ncpu, r.wallNanos() / 1e9, r.idealNanos() / 1e9, r.ratio(), r.workers(),
                r.jvmPeakThreads(), r.threadsAtStart(), r.meanInFlight(), r.peakInFlight(), r.cpuBusy(ncpu),
                r.cpuPerItemMillis(), r.loadAverage(), jwqProperties());
        Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String jwqProperties() {
        List<String> set = System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("jwq.")).sorted().map(k -> k + "=" + System.getProperty(k)).toList();
        return set.isEmpty() ? "(defaults)" : set.toString();
    }
}
