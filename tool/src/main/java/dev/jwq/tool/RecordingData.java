package dev.jwq.tool;

import static dev.jwq.jfr.EventNames.*;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * What {@code stat} and {@code report} need from a recording, read in one pass: per workqueue
 * its statistics samples and the queue latency and run time of each recorded item; per pool
 * its statistics samples and worker lifecycle; the stalls; and the settings the recording used
 * for {@code WorkExecution} (to say which items the percentiles cover).
 */
final class RecordingData {
    /** Reading takes this long before the progress line appears: a person notices a wait from about here. */
    static final long PROGRESS_QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Smaller recordings read in a moment (the JFR parser's own start-up aside): no progress line. */
    static final long PROGRESS_MIN_BYTES = 16L << 20;

    /**
     * One {@code WorkqueueStatistics} sample: cumulative counters at {@code time} of the workqueue
     * {@code instance} (0 in recordings made before the field existed), or their sum over the
     * workqueues that share a name ({@link Workqueue#total()}, {@link Workqueue#passes()}).
     */
    record WqStat(long time, long instance, boolean unbound, boolean memReclaim, long started, long completed, long cpuTime,
                  long cpuIntensive, long cmWakeups, long repatriated, long maydays, long rescued, int maxActive,
                  int active, int inactive) {
        /** This sample's counters added to {@code sum}'s (flags and time from this one). */
        WqStat plus(WqStat sum) {
            return sum == null ? this : new WqStat(time, instance, unbound, memReclaim, started + sum.started,
                    completed + sum.completed, cpuTime + sum.cpuTime, cpuIntensive + sum.cpuIntensive,
                    cmWakeups + sum.cmWakeups, repatriated + sum.repatriated, maydays + sum.maydays,
                    rescued + sum.rescued, maxActive + sum.maxActive, active + sum.active, inactive + sum.inactive);
        }
    }

    /** One {@code CpuIntensive} function on one workqueue: how often it hogged, and its largest CPU time. */
    record Hog(String function, String workqueue, long count, long maxCpuTime) {
    }

    /** One {@code PoolStatistics} sample. */
    record PoolStat(long time, int workers, int idle, int running, int pending, long completed) {
    }

    /** One {@code PoolStall}. */
    record Stall(long time, int pool, int cpu, long stalledFor, int pending, String dump) {
    }

    /** Samples of one statistics pass closer than this belong to the same pass (a pass takes microseconds). */
    static final long SAME_PASS_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    static final class Workqueue {
        final String name;
        /** Every sample of every workqueue of this name, in the order read (not necessarily time order). */
        final List<WqStat> stats = new ArrayList<>();
        /** Recorded items, in commit order: epoch nanoseconds at the start of the run, latency, run time. */
        final Samples itemTimes = new Samples();
        final Samples latencies = new Samples();
        final Samples runTimes = new Samples();
        long failures;
        long cpuIntensiveItems;
        long maydayEvents;
        long rescueEvents;
        long rescuedItems;
        long cpuHogEvents;

        Workqueue(String name) {
            this.name = name;
        }

        /** How many workqueues of this name the statistics saw. */
        int instances() {
            return (int) stats.stream().mapToLong(WqStat::instance).distinct().count();
        }

        /** The counters at the end of the recording, summed over the workqueues of this name; null without statistics. */
        WqStat total() {
            List<WqStat> passes = passes();
            return passes.isEmpty() ? null : passes.get(passes.size() - 1);
        }

        /**
         * The statistics as one summed sample per periodic pass, in time order: each workqueue of
         * this name counts with its latest sample so far (a workqueue closed earlier keeps its
         * final counts), so that the totals only grow and rates come from consecutive passes.
         */
        List<WqStat> passes() {
            List<WqStat> sorted = new ArrayList<>(stats);
            sorted.sort(Comparator.comparingLong(WqStat::time));
            Map<Long, WqStat> latest = new HashMap<>();
            List<WqStat> passes = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) {
                WqStat s = sorted.get(i);
                latest.put(s.instance(), s);
                boolean passEnds = i + 1 == sorted.size() || sorted.get(i + 1).time() - s.time() > SAME_PASS_NANOS;
                if (passEnds) {
                    WqStat sum = null;
                    for (WqStat each : latest.values()) {
                        sum = each.plus(sum);
                    }
                    passes.add(new WqStat(s.time(), -1, s.unbound(), s.memReclaim(), sum.started(), sum.completed(),
                            sum.cpuTime(), sum.cpuIntensive(), sum.cmWakeups(), sum.repatriated(), sum.maydays(),
                            sum.rescued(), sum.maxActive(), sum.active(), sum.inactive()));
                }
            }
            return passes;
        }
    }

    static final class Pool {
        final int id;
        String name;
        int cpu = Integer.MIN_VALUE;
        boolean highPriority;
        final List<PoolStat> stats = new ArrayList<>();
        long created;
        long retired;
        long creationFailures;

        Pool(int id) {
            this.id = id;
        }

        String label() {
            return name != null ? name : "pool " + id;
        }
    }

    final Path file;
    final Map<String, Workqueue> workqueues = new TreeMap<>();
    final Map<Integer, Pool> pools = new TreeMap<>();
    final List<Stall> stalls = new ArrayList<>();
    /** CPU hogs by function and workqueue. */
    final Map<String, Hog> hogs = new TreeMap<>();
    long events;
    long jwqEvents;
    long firstNanos = Long.MAX_VALUE;
    long lastNanos = Long.MIN_VALUE;
    /** The type id of WorkExecution in this recording, to find its jdk.ActiveSetting events; -1 if absent. */
    private long executionTypeId = -1;
    /** WorkExecution's settings in the recording (jdk.ActiveSetting; the last value wins), e.g. sampleOneIn=1024. */
    final Map<String, String> executionSettings = new TreeMap<>();

    private RecordingData(Path file) {
        this.file = file;
    }

    /**
     * Reads {@code file}. A progress line goes to {@code err} only when it is a terminal
     * ({@code errIsTerminal}: the line rewrites itself with carriage returns, which a log file
     * should not get) and the recording is large enough to take a while.
     */
    static RecordingData read(Path file, PrintStream err, boolean errIsTerminal) throws ToolException {
        if (!Files.exists(file)) {
            throw new ToolException(Main.EXIT_FAILURE, "no such file: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new ToolException(Main.EXIT_FAILURE, file + " is a directory, not a recording");
        }
        RecordingData d = new RecordingData(file);
        try {
            ChunkHeaders.Span span = ChunkHeaders.read(file);
            if (span == null) {
                throw new ToolException(Main.EXIT_FAILURE, file + " is not a JFR recording (no FLR chunk header)");
            }
            boolean showProgress = errIsTerminal && Files.size(file) >= PROGRESS_MIN_BYTES;
            Progress progress = new Progress(err, file.getFileName().toString(),
                    showProgress ? PROGRESS_QUIET_NANOS : Long.MAX_VALUE);
            try (RecordingFile rf = new RecordingFile(file)) {
                d.executionTypeId = rf.readEventTypes().stream().filter(t -> t.getName().equals(WORK_EXECUTION))
                        .mapToLong(jdk.jfr.EventType::getId).findFirst().orElse(-1);
                while (rf.hasMoreEvents()) {
                    RecordedEvent e = rf.readEvent();
                    d.events++;
                    d.accept(e);
                    progress.update(d.events, span.fraction(nanos(e.getStartTime())));
                }
            }
            progress.done(d.events);
        } catch (NoSuchFileException e) {
            throw new ToolException(Main.EXIT_FAILURE, "no such file: " + file, e);
        } catch (IOException e) {
            throw new ToolException(Main.EXIT_FAILURE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (d.jwqEvents == 0) {
            throw new ToolException(Main.EXIT_FAILURE, file + " holds no jwq events: record with jwq's settings, e.g. "
                    + "-XX:StartFlightRecording:settings=default,settings=jwq.jfc (get the file with `jwq jfc`)");
        }
        return d;
    }

    private void accept(RecordedEvent e) {
        String type = e.getEventType().getName();
        if (type.equals("jdk.ActiveSetting")) {
            if (e.getLong("id") == executionTypeId) {
                executionSettings.put(e.getString("name"), e.getString("value"));
            }
            return;
        }
        if (!type.startsWith(PREFIX)) {
            return;
        }
        jwqEvents++;
        long t = nanos(e.getStartTime());
        firstNanos = Math.min(firstNanos, t);
        lastNanos = Math.max(lastNanos, t + e.getDuration().toNanos());
        switch (type) {
            case WORK_EXECUTION -> {
                Workqueue w = workqueue(e.getString(F_WORKQUEUE));
                w.itemTimes.add(t);
                w.latencies.add(e.getLong(F_QUEUE_LATENCY));
                w.runTimes.add(e.getDuration().toNanos());
                if (e.getString(F_FAILURE) != null) {
                    w.failures++;
                }
                if (e.getBoolean(F_CPU_INTENSIVE)) {
                    w.cpuIntensiveItems++;
                }
            }
            case WORKQUEUE_STATISTICS -> workqueue(e.getString(F_WORKQUEUE)).stats.add(new WqStat(t,
                    e.hasField(F_INSTANCE) ? e.getLong(F_INSTANCE) : 0, e.getBoolean(F_UNBOUND), e.getBoolean(F_MEM_RECLAIM), e.getLong(F_STARTED), e.getLong(F_COMPLETED),
                    e.getLong(F_CPU_TIME), e.getLong(F_CPU_INTENSIVE), e.getLong(F_CM_WAKEUPS),
                    e.getLong(F_REPATRIATED), e.getLong(F_MAYDAYS), e.getLong(F_RESCUED), e.getInt(F_MAX_ACTIVE),
                    e.getInt(F_ACTIVE), e.getInt(F_INACTIVE_ITEMS)));
            case POOL_STATISTICS -> {
                Pool p = pool(e.getInt(F_POOL));
                p.name = e.getString(F_NAME);
                p.cpu = e.getInt(F_CPU);
                p.highPriority = e.getBoolean(F_HIGH_PRIORITY);
                p.stats.add(new PoolStat(t, e.getInt(F_WORKERS), e.getInt(F_IDLE), e.getInt(F_RUNNING),
                        e.getInt(F_PENDING), e.getLong(F_COMPLETED)));
            }
            case WORKER_LIFECYCLE -> {
                Pool p = pool(e.getInt(F_POOL));
                switch (String.valueOf(e.getString(F_ACTION))) {
                    case ACTION_CREATED -> p.created++;
                    case ACTION_RETIRED -> p.retired++;
                    default -> p.creationFailures++;
                }
            }
            case POOL_STALL -> {
                stalls.add(new Stall(t, e.getInt(F_POOL), e.getInt(F_CPU), e.getLong(F_STALLED_FOR),
                        e.getInt(F_PENDING), e.getString(F_DUMP)));
                pool(e.getInt(F_POOL));
            }
            case MAYDAY -> workqueue(e.getString(F_WORKQUEUE)).maydayEvents++;
            case RESCUE -> {
                Workqueue w = workqueue(e.getString(F_WORKQUEUE));
                w.rescueEvents++;
                w.rescuedItems += e.getInt(F_RESCUED);
            }
            case CPU_INTENSIVE -> {
                String wq = e.getString(F_WORKQUEUE);
                workqueue(wq).cpuHogEvents++;
                String function = String.valueOf(e.getString(F_FUNCTION));
                long cpu = e.getLong(F_CPU_TIME);
                hogs.merge(function + " " + wq, new Hog(function, String.valueOf(wq), 1, cpu),
                        (a, b) -> new Hog(a.function(), a.workqueue(), a.count() + 1, Math.max(a.maxCpuTime(), cpu)));
            }
            default -> {
                // WorkQueued, WorkActivated, WorkerSleeping, PinningUnavailable: counted as jwq events only
            }
        }
    }

    private Workqueue workqueue(String name) {
        return workqueues.computeIfAbsent(name == null ? "?" : name, Workqueue::new);
    }

    private Pool pool(int id) {
        return pools.computeIfAbsent(id, Pool::new);
    }

    static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
