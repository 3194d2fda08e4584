package dev.jwq.tool;

import static dev.jwq.jfr.EventNames.*;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
    /** Reading takes this long before the progress line appears. */
    static final long PROGRESS_QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    /** One {@code WorkqueueStatistics} sample: cumulative counters at {@code time}. */
    record WqStat(long time, boolean unbound, boolean memReclaim, long started, long completed, long cpuTime,
                  long cpuIntensive, long cmWakeups, long repatriated, long maydays, long rescued, int maxActive,
                  int active, int inactive) {
    }

    /** One {@code PoolStatistics} sample. */
    record PoolStat(long time, int workers, int idle, int running, int pending, long completed) {
    }

    /** One {@code PoolStall}. */
    record Stall(long time, int pool, int cpu, long stalledFor, int pending, String dump) {
    }

    static final class Workqueue {
        final String name;
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

        WqStat lastStat() {
            return stats.isEmpty() ? null : stats.get(stats.size() - 1);
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

    static RecordingData read(Path file, PrintStream err) throws ToolException {
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
            Progress progress = new Progress(err, file.getFileName().toString(), PROGRESS_QUIET_NANOS);
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
                    e.getBoolean(F_UNBOUND), e.getBoolean(F_MEM_RECLAIM), e.getLong(F_STARTED), e.getLong(F_COMPLETED),
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
            case CPU_INTENSIVE -> workqueue(e.getString(F_WORKQUEUE)).cpuHogEvents++;
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
