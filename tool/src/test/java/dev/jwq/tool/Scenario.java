package dev.jwq.tool;

import dev.jwq.jfr.EventNames;
import dev.jwq.jfr.StatisticsSource;
import dev.jwq.jfr.Tracepoints;
import dev.jwq.jfr.WorkExecution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jdk.jfr.Recording;

/**
 * A scripted recording: events committed through the runtime's facade, so every number the
 * tool prints is known in advance.
 *
 * <ul>
 * <li>"events": 100 items queued 1, 2, ..., 100 ms before they start (so nearest-rank p50 50 ms,
 *     p99 99 ms, max 100 ms, each plus the instant it takes to start); statistics started 1000,
 *     completed 997, CPU time 2.5 s, CPUitsv 4, CMW 9.</li>
 * <li>"kblockd" (unbound, MEM_RECLAIM): 10 items of 5 ms latency, one of which runs 3 ms;
 *     statistics started 10, RPR 2, mayday 5, rescued 7; 2 Mayday and 1 Rescue (3 items)
 *     events.</li>
 * <li>"noStats": 3 items of 1 ms, no statistics.</li>
 * <li>"pool": two workqueues of that name (instances 7 and 8), started 30 and 12, no items.</li>
 * <li>{@link #LONG_NAME}: statistics only (started 5).</li>
 * <li>One CPU hog of {@link Flush} on "events", 12 ms of CPU.</li>
 * <li>Pool 6 "cpu 3": 4 workers; one stall of 31 s with 42 pending.</li>
 * </ul>
 */
final class Scenario {
    static final class Flush implements Runnable {
        @Override
        public void run() {
        }
    }

    /** A workqueue name longer than stat's name column. */
    static final String LONG_NAME = "com.example.orders.service.OrderEventPublisher-thread-7";

    private Scenario() {
    }

    static Path record(Path dir) throws Exception {
        CountDownLatch periods = new CountDownLatch(3);
        CountDownLatch poolPeriods = new CountDownLatch(3);
        Tracepoints.registerStatistics(new StatisticsSource() {
            @Override
            public void workqueues(Consumer<WorkqueueCounters> sink) {
                sink.accept(new WorkqueueCounters("events", false, false, 1000, 997, 2_500_000_000L, 4, 9, 0, 0, 0,
                        1024, 3, 0));
                sink.accept(new WorkqueueCounters("kblockd", true, true, 10, 10, 1_000_000, 0, 0, 2, 5, 7, 16, 0, 0));
                sink.accept(new WorkqueueCounters("pool", 7, true, false, 30, 30, 0, 0, 0, 0, 0, 0, 4, 0, 0));
                sink.accept(new WorkqueueCounters("pool", 8, true, false, 12, 11, 0, 0, 0, 0, 0, 0, 4, 1, 0));
                sink.accept(new WorkqueueCounters(LONG_NAME, false, false, 5, 5, 0, 0, 0, 0, 0, 0, 1024, 0, 0));
                periods.countDown();
            }

            @Override
            public void pools(Consumer<PoolCounters> sink) {
                sink.accept(new PoolCounters(6, "cpu 3", 3, false, 4, 1, 2, 8, 1234));
                poolPeriods.countDown();
            }
        });
        Recording r = new Recording();
        for (String e : new String[] {EventNames.WORK_EXECUTION, EventNames.MAYDAY, EventNames.RESCUE,
                EventNames.POOL_STALL, EventNames.WORKER_LIFECYCLE, EventNames.CPU_INTENSIVE}) {
            r.enable(e).withoutStackTrace().withThreshold(Duration.ZERO);
        }
        r.enable(EventNames.WORK_EXECUTION).with("sampleOneIn", "1");
        r.enable("jdk.ActiveSetting"); // on in the JDK's default.jfc: tells the tool which items were recorded
        r.enable(EventNames.WORKQUEUE_STATISTICS).withPeriod(Duration.ofMillis(100));
        r.enable(EventNames.POOL_STATISTICS).withPeriod(Duration.ofMillis(100));
        r.start();
        try {
            for (int i = 1; i <= 100; i++) {
                item("events", i * 1_000_000L, 0);
            }
            for (int i = 0; i < 10; i++) {
                item("kblockd", 5_000_000L, i == 9 ? 3_000_000 : 0);
            }
            for (int i = 0; i < 3; i++) {
                item("noStats", 1_000_000L, 0);
            }
            Tracepoints.mayday("kblockd", 6, Flush.class);
            Tracepoints.mayday("kblockd", 6, Flush.class);
            Tracepoints.rescue("kblockd", 6, 3);
            Tracepoints.workerCreated(6, "jwq/3:3", 4);
            Tracepoints.cpuIntensive("events", Flush.class, 6, "jwq/3:1", 12_000_000, 10_000_000);
            Tracepoints.poolStall(6, 3, 31_000_000_000L, 42, "pool 6 cpu 3: workers 4, pending 42");
            if (!periods.await(30, TimeUnit.SECONDS) || !poolPeriods.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the statistics hook never ran");
            }
            r.stop();
            Path file = Files.createTempFile(dir, "scenario", ".jfr");
            r.dump(file);
            return file;
        } finally {
            r.close();
        }
    }

    private static void item(String wq, long latencyNanos, long runNanos) {
        // queued latencyNanos ago: the recorded latency is that plus the moment until executeStart reads the clock
        WorkExecution e = Tracepoints.executeStart(Tracepoints.queueStamp() - latencyNanos);
        long end = System.nanoTime() + runNanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait(); // the item's work: computing for runNanos
        }
        Tracepoints.executeEnd(e, wq, Flush.class, 6, "jwq/3:1", false, null);
    }
}
