package dev.jwq.jfr;

import static dev.jwq.jfr.JfrTestSupport.named;
import static dev.jwq.jfr.JfrTestSupport.spin;
import static dev.jwq.jfr.JfrTestSupport.stopAndRead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scripted scenario through the facade lands in a recording with the right fields. */
class TracepointsRecordingTest {
    @TempDir
    Path dir;

    static final class Flush implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void eachTracepointRecordsItsEventWithItsFields() throws Exception {
        Runnable lambda = () -> { };
        Recording r = JfrTestSupport.everything();
        r.start();
        // queue, held back by max_active, activated, run, failed, hogged, blocked
        Tracepoints.queueWork("kblockd", Flush.class, 3, 3, 6, false);
        Tracepoints.queueWork("kblockd", lambda.getClass(), -1, 0, 0, true);
        Tracepoints.activateWork("kblockd", lambda.getClass(), 0, 4_000_000);
        long stamp = Tracepoints.queueStamp();
        assertTrue(stamp != 0, "with sampleOneIn 1 every item is chosen");
        WorkExecution run = Tracepoints.executeStart(stamp - 7_000_000); // queued 7 ms earlier
        spin(2_000_000);
        Tracepoints.executeEnd(run, "kblockd", Flush.class, 6, "jwq/3:1", false, null);
        WorkExecution failed = Tracepoints.executeStart(Tracepoints.queueStamp());
        Tracepoints.executeEnd(failed, "events", Flush.class, 0, "jwq/0:0", true, new IllegalStateException("x"));
        Tracepoints.cpuIntensive("events", Flush.class, 0, "jwq/0:0", 12_000_000, 10_000_000);
        WorkerSleeping sleeping = Tracepoints.workerSleeping(SleepDetection.SAMPLER);
        spin(1_000_000);
        Tracepoints.workerRunning(sleeping, 0, "jwq/0:0");
        // workers come and go; creation fails; mayday, rescue, stall
        Tracepoints.workerCreated(6, "jwq/3:2", 2);
        Tracepoints.workerRetired(6, "jwq/3:2", 1);
        Tracepoints.workerCreationFailed(6, 1, new OutOfMemoryError("unable to create native thread"));
        Tracepoints.mayday("kblockd", 6, Flush.class);
        Tracepoints.rescue("kblockd", 6, 16);
        Tracepoints.poolStall(6, 3, 31_000_000_000L, 42, "pool 6: 1 worker, 42 pending");
        Tracepoints.pinningUnavailable("no FFM API before JDK 22");
        List<RecordedEvent> events = stopAndRead(r, dir);

        List<RecordedEvent> queued = named(events, EventNames.WORK_QUEUED);
        assertEquals(2, queued.size());
        RecordedEvent q = queued.get(0);
        assertEquals("kblockd", q.getString("workqueue"));
        assertEquals(Flush.class.getName(), q.getString("function"));
        assertEquals(3, q.getInt("requestedCpu"));
        assertEquals(3, q.getInt("cpu"));
        assertEquals(6, q.getInt("pool"));
        assertFalse(q.getBoolean("inactive"));
        assertTrue(queued.get(1).getBoolean("inactive"));
        // named by its method where java.lang is open to jwq, else by its hidden class (FunctionNamesChildJvmTest)
        assertEquals(FunctionNames.of(lambda.getClass()), queued.get(1).getString("function"));
        assertTrue(queued.get(1).getString("function").startsWith(getClass().getName()),
                queued.get(1).getString("function"));

        RecordedEvent a = single(events, EventNames.WORK_ACTIVATED);
        assertEquals(Duration.ofMillis(4), a.getDuration("inactiveTime"));
        assertEquals(0, a.getInt("pool"));

        List<RecordedEvent> runs = named(events, EventNames.WORK_EXECUTION);
        assertEquals(2, runs.size());
        RecordedEvent x = runs.get(0);
        assertEquals("kblockd", x.getString("workqueue"));
        assertEquals("jwq/3:1", x.getString("worker"));
        long latency = x.getDuration("queueLatency").toNanos();
        assertTrue(latency >= 7_000_000 && latency < 7_000_000 + 10_000_000_000L, "queue latency " + latency);
        assertTrue(x.getDuration().toNanos() >= 2_000_000, x.getDuration().toString());
        assertNull(x.getString("failure"));
        assertEquals(Thread.currentThread().getName(), x.getThread().getJavaName());
        assertEquals(IllegalStateException.class.getName(), runs.get(1).getString("failure"));
        assertTrue(runs.get(1).getBoolean("cpuIntensive"));

        RecordedEvent hog = single(events, EventNames.CPU_INTENSIVE);
        assertEquals(Duration.ofMillis(12), hog.getDuration("cpuTime"));
        assertTrue(hog.getLong("count") >= 1);

        RecordedEvent s = single(events, EventNames.WORKER_SLEEPING);
        assertEquals("sampler", s.getString("detectedBy"));
        assertEquals("jwq/0:0", s.getString("worker"));
        assertTrue(s.getDuration().toNanos() >= 1_000_000);

        List<RecordedEvent> life = named(events, EventNames.WORKER_LIFECYCLE);
        assertEquals(List.of("created", "retired", "creation failed"),
                life.stream().map(e -> e.getString("action")).toList());
        assertEquals(List.of(2, 1, 1), life.stream().map(e -> e.getInt("workers")).toList());
        assertTrue(life.get(2).getString("reason").contains("unable to create native thread"));

        assertEquals(Flush.class.getName(), single(events, EventNames.MAYDAY).getString("function"));
        assertEquals(16, single(events, EventNames.RESCUE).getInt("rescued"));
        RecordedEvent stall = single(events, EventNames.POOL_STALL);
        assertEquals(Duration.ofSeconds(31), stall.getDuration("stalledFor"));
        assertEquals(42, stall.getInt("pending"));
        assertEquals(3, stall.getInt("cpu"));
        assertTrue(stall.getString("dump").contains("42 pending"));
        assertTrue(named(events, EventNames.PINNING_UNAVAILABLE).stream()
                .allMatch(e -> e.getString("reason").equals("no FFM API before JDK 22")));
        assertFalse(named(events, EventNames.PINNING_UNAVAILABLE).isEmpty());
    }

    @Test
    void durationEventsEndedByAnotherThreadNameTheWorker() throws Exception {
        Recording r = JfrTestSupport.everything();
        r.start();
        WorkerSleeping begun = Tracepoints.workerSleeping(SleepDetection.EXPLICIT);
        Thread monitor = new Thread(() -> Tracepoints.workerRunning(begun, 2, "jwq/1:0"),
                "jwq/monitor-test");
        monitor.start();
        monitor.join(30_000);
        RecordedEvent s = single(stopAndRead(r, dir), EventNames.WORKER_SLEEPING);
        assertEquals("jwq/1:0", s.getString("worker"));
        assertEquals("explicit", s.getString("detectedBy"));
        assertEquals("jwq/monitor-test", s.getThread().getJavaName());
    }

    @Test
    void withJwqJfcOneItemInAboutTenTwentyFourIsChosenAndEveryChosenOneRecorded() throws Exception {
        Recording r = new Recording(JfrTestSupport.jwqJfc());
        r.start();
        int items = 64 * 1024;
        int chosen = 0;
        for (int i = 0; i < items; i++) {
            long stamp = Tracepoints.queueStamp();
            if (stamp != 0) {
                chosen++;
            }
            WorkExecution e = Tracepoints.executeStart(stamp);
            Tracepoints.executeEnd(e, "wq", Flush.class, 0, "jwq/0:0", false, null);
        }
        Tracepoints.queueWork("wq", Flush.class, -1, 0, 0, false);   // off in jwq.jfc
        List<RecordedEvent> events = stopAndRead(r, dir);
        // 64 expected; the bounds are over 6 standard deviations away
        assertTrue(chosen >= 16 && chosen <= 128, "chosen " + chosen + " of " + items);
        assertEquals(chosen, named(events, EventNames.WORK_EXECUTION).size());
        assertTrue(named(events, EventNames.WORK_QUEUED).isEmpty());
    }

    @Test
    void nothingIsRecordedWhenTheEventIsOff() throws Exception {
        Recording r = new Recording();
        r.enable(EventNames.POOL_STALL);
        r.disable(EventNames.WORK_EXECUTION);
        r.disable(EventNames.WORKER_SLEEPING);
        r.start();
        assertEquals(0, Tracepoints.queueStamp(), "WorkExecution is off in this recording");
        assertNull(Tracepoints.executeStart(System.nanoTime()), "WorkExecution is off in this recording");
        assertNull(Tracepoints.workerSleeping(SleepDetection.HOOK));
        Tracepoints.executeEnd(null, "wq", Flush.class, 0, "w", false, null);
        Tracepoints.workerRunning(null, 0, "w");
        Tracepoints.poolStall(1, -1, 1, 1, "d");
        List<RecordedEvent> events = stopAndRead(r, dir);
        assertEquals(1, named(events, EventNames.POOL_STALL).size());
        assertTrue(named(events, EventNames.WORK_EXECUTION).isEmpty());
        assertTrue(named(events, EventNames.WORKER_SLEEPING).isEmpty());
    }

    @Test
    void statisticsComeFromTheRegisteredSourceEachPeriod() throws Exception {
        CountDownLatch twoPeriods = new CountDownLatch(2);
        CountDownLatch poolPeriods = new CountDownLatch(2);
        StatisticsSource source = new StatisticsSource() {
            @Override
            public void workqueues(Consumer<WorkqueueCounters> sink) {
                sink.accept(new WorkqueueCounters("events", false, false, 100, 97, 2_500_000_000L, 4, 9, 0, 0, 0,
                        1024, 3, 0));
                sink.accept(new WorkqueueCounters("kblockd", true, true, 10, 10, 1_000, 0, 0, 2, 5, 7, 16, 0, 2));
                twoPeriods.countDown();
            }

            @Override
            public void pools(Consumer<PoolCounters> sink) {
                sink.accept(new PoolCounters(6, "cpu 3", 3, false, 4, 1, 2, 8, 1234));
                poolPeriods.countDown();
            }
        };
        Recording r = JfrTestSupport.everything();
        r.enable(WorkqueueStatistics.class).withPeriod(Duration.ofMillis(100));
        r.enable(PoolStatistics.class).withPeriod(Duration.ofMillis(100));
        r.start();
        Tracepoints.registerStatistics(source);
        try {
            assertTrue(twoPeriods.await(30, TimeUnit.SECONDS), "the workqueue hook never ran");
            assertTrue(poolPeriods.await(30, TimeUnit.SECONDS), "the pool hook never ran");
            List<RecordedEvent> events = stopAndRead(r, dir);
            List<RecordedEvent> wq = named(events, EventNames.WORKQUEUE_STATISTICS);
            RecordedEvent ev = wq.stream().filter(e -> e.getString("workqueue").equals("events")).findFirst().orElseThrow();
            assertEquals(100, ev.getLong("started"));
            assertEquals(3, ev.getLong("inFlight"));
            assertEquals(Duration.ofMillis(2500), ev.getDuration("cpuTime"));
            assertEquals(4, ev.getLong("cpuIntensive"));
            assertEquals(9, ev.getLong("cmWakeups"));
            assertEquals(1024, ev.getInt("maxActive"));
            RecordedEvent kb = wq.stream().filter(e -> e.getString("workqueue").equals("kblockd")).findFirst().orElseThrow();
            assertTrue(kb.getBoolean("unbound"));
            assertTrue(kb.getBoolean("memReclaim"));
            assertEquals(2, kb.getLong("repatriated"));
            assertEquals(5, kb.getLong("maydays"));
            assertEquals(7, kb.getLong("rescued"));
            assertEquals(2, kb.getInt("inactiveItems"));
            RecordedEvent pool = named(events, EventNames.POOL_STATISTICS).get(0);
            assertEquals("cpu 3", pool.getString("name"));
            assertEquals(4, pool.getInt("workers"));
            assertEquals(2, pool.getInt("running"));
            assertEquals(8, pool.getInt("pending"));
            assertEquals(1234, pool.getLong("completed"));
        } finally {
            Tracepoints.registerStatistics(EMPTY);
        }
    }

    static final StatisticsSource EMPTY = new StatisticsSource() {
        @Override
        public void workqueues(Consumer<WorkqueueCounters> sink) {
        }

        @Override
        public void pools(Consumer<PoolCounters> sink) {
        }
    };

    private static RecordedEvent single(List<RecordedEvent> events, String name) {
        List<RecordedEvent> n = named(events, name);
        assertEquals(1, n.size(), name + ": " + n);
        return n.get(0);
    }
}
