package dev.jwq.bench.cpusleep;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Issue 3's benchmark: items that each burn 1 ms of CPU and then sleep 4 ms, run on jwq and on
 * the JDK's executors side by side in one process. A perfect executor keeps every core busy
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

    /** Runs every executor of {@code options} in turn; returns their summaries. */
    static List<Summary> run(Options o, PrintStream out) throws Exception {
        int ncpu = Runtime.getRuntime().availableProcessors();
        int[] cpus = UsableCpus.read();
        CpuBurner burner = new CpuBurner(TimeUnit.MICROSECONDS.toNanos(o.cpuMicros()));
        long sleepNanos = TimeUnit.MICROSECONDS.toNanos(o.sleepMicros());
        out.printf(Locale.ROOT, "# cpu+sleep benchmark, %s%n", Instant.now());
        out.printf(Locale.ROOT, "# %d items of %d us CPU + %d us sleep; %d warm-up + %d measured rounds, each executor once per round%n",
                o.items(), o.cpuMicros(), o.sleepMicros(), o.warmups(), o.runs());
        out.printf(Locale.ROOT, "# ncpu (availableProcessors) %d, usable CPUs %s, java %s (%s), jwq settings %s%n",
                ncpu, Arrays.toString(cpus), Runtime.version(), System.getProperty("java.vm.name"), jwqProperties());
        out.printf(Locale.ROOT, "# virtual threads burn %d calibrated loop chunks (no CPU clock for them)%n",
                burner.calibratedChunks());
        out.println("# executor run wall_s ideal_s ratio workers jvm_peak_threads threads_at_start mean_in_flight peak_in_flight cpu_busy cpu_ms_per_item load1");
        // Rounds: every executor runs once per round, so a neighbour's burst on this shared
        // machine falls on all of them alike instead of on whichever ran at the time.
        Map<Executor, List<RunResult>> measured = new LinkedHashMap<>();
        for (int round = 0; round < o.warmups() + o.runs(); round++) {
            boolean warm = round < o.warmups();
            for (Executor e : o.executors()) {
                RunResult res = new Run(e, o.items(), burner, sleepNanos, ncpu, cpus).execute();
                out.printf(Locale.ROOT, "%s %s %.3f %.3f %.3f %d %d %d %.2f %d %.3f %.3f %.2f%n", e.label,
                        warm ? "warmup" : String.valueOf(round - o.warmups() + 1), res.wallNanos() / 1e9,
                        res.idealNanos() / 1e9, res.ratio(), res.workers(), res.jvmPeakThreads(),
                        res.threadsAtStart(), res.meanInFlight(), res.peakInFlight(), res.cpuBusy(ncpu), res.cpuPerItemMillis(), res.loadAverage());
                out.flush();
                if (!warm) {
                    measured.computeIfAbsent(e, k -> new ArrayList<>()).add(res);
                }
            }
        }
        List<Summary> summaries = new ArrayList<>();
        measured.forEach((e, runs) -> summaries.add(new Summary(e, runs)));
        out.println();
        out.println(Summary.tableHeader());
        for (Summary s : summaries) {
            out.println(s.tableRow(ncpu));
        }
        out.printf(Locale.ROOT, "%nTarget (issue 3): wall / ideal <= %.2f with at most %d workers (%d x the %d the load needs: ncpu x %d).%n",
                Summary.TARGET_RATIO, Summary.WORKER_ALLOWANCE * Summary.NEEDED_PER_CORE * ncpu, Summary.WORKER_ALLOWANCE,
                Summary.NEEDED_PER_CORE * ncpu, Summary.NEEDED_PER_CORE);
        return summaries;
    }

    private static String jwqProperties() {
        List<String> set = System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("jwq.")).sorted().map(k -> k + "=" + System.getProperty(k)).toList();
        return set.isEmpty() ? "(defaults)" : set.toString();
    }
}
