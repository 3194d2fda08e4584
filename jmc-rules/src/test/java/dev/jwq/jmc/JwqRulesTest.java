package dev.jwq.jmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.jfr.EventNames;
import dev.jwq.jfr.Tracepoints;
import dev.jwq.jfr.WorkExecution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;
import org.openjdk.jmc.flightrecorder.rules.Severity;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit;

/**
 * The rules as Mission Control runs them: found through the service registry, on recordings
 * loaded by JMC's parser, evaluated by {@code RulesToolkit.evaluateParallel}.
 */
class JwqRulesTest {
    static final List<String> IDS = JwqRulesReport.IDS;

    @TempDir
    Path dir;

    static final class Work implements Runnable {
        @Override
        public void run() {
        }
    }

    static final class Hog implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void rulesAreRegisteredAsMissionControlFindsThem() {
        List<String> found = RuleRegistry.getRules().stream().map(IRule::getId).filter(IDS::contains).toList();
        assertEquals(IDS.size(), found.size(), found.toString());
    }

    @Test
    void healthyRecordingIsOkEverywhere() throws Exception {
        Recording r = recording(true);
        r.start();
        for (int i = 0; i < 200; i++) {
            item("events", 100_000); // p99 far under the 10 ms info limit
        }
        Map<String, IResult> results = evaluate(stop(r));
        for (String id : IDS) {
            assertEquals(Severity.OK, results.get(id).getSeverity(), id + ": " + results.get(id).getSummary());
        }
    }

    @Test
    void troubledRecordingWarns() throws Exception {
        Recording r = recording(true);
        r.start();
        for (int i = 0; i < 100; i++) {
            item("kblockd", 200_000_000);
        }
        for (int i = 0; i < 5; i++) {
            Tracepoints.cpuIntensive("events", Hog.class, 0, "jwq/0:0", 12_000_000, 10_000_000);
        }
        Tracepoints.mayday("kblockd", 6, Work.class);
        Tracepoints.rescue("kblockd", 6, 16);
        Tracepoints.poolStall(6, 3, 31_000_000_000L, 42, "pool 6: 42 pending");
        startPoolThreads(Executors.newFixedThreadPool(3), 3);
        Map<String, IResult> results = evaluate(stop(r));
        assertEquals(Severity.WARNING, results.get(WorkqueueStallRule.ID).getSeverity());
        assertTrue(results.get(WorkqueueStallRule.ID).getSummary().contains("pool 6 (cpu 3)"),
                results.get(WorkqueueStallRule.ID).getSummary());
        assertEquals(Severity.WARNING, results.get(QueueLatencyRule.ID).getSeverity());
        assertTrue(results.get(QueueLatencyRule.ID).getSummary().contains("'kblockd'"));
        assertEquals(Severity.WARNING, results.get(CpuHogRule.ID).getSeverity());
        assertTrue(results.get(CpuHogRule.ID).getSummary().contains(Hog.class.getName()));
        assertEquals(Severity.WARNING, results.get(RescuerRule.ID).getSeverity());
        IResult sprawl = results.get(ThreadPoolSprawlRule.ID);
        assertEquals(Severity.INFO, sprawl.getSeverity(), sprawl.getSummary());
        assertTrue(sprawl.getSummary().startsWith("3 thread(s) of 1 "), sprawl.getSummary());
    }

    @Test
    void mildRecordingInforms() throws Exception {
        Recording r = recording(true);
        r.start();
        for (int i = 0; i < 100; i++) {
            item("events", 20_000_000);
        }
        Tracepoints.cpuIntensive("events", Work.class, 0, "jwq/0:0", 12_000_000, 10_000_000);
        Tracepoints.mayday("kblockd", 6, Work.class);
        Map<String, IResult> results = evaluate(stop(r));
        assertEquals(Severity.OK, results.get(WorkqueueStallRule.ID).getSeverity(), results.get(WorkqueueStallRule.ID).getSummary() + " | " + results.get(WorkqueueStallRule.ID).getExplanation());
        assertEquals(Severity.INFO, results.get(QueueLatencyRule.ID).getSeverity());
        assertEquals(Severity.INFO, results.get(CpuHogRule.ID).getSeverity());
        assertEquals(Severity.INFO, results.get(RescuerRule.ID).getSeverity());
    }

    @Test
    void poolThreadsAreFoundByStackOrByNameAndManyWarn() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory custom = t -> new Thread(t, "custom-name-" + n.incrementAndGet());
        Recording r = recording(true);
        r.start();
        startPoolThreads(Executors.newFixedThreadPool(2, custom), 2);   // only the stack tells
        startPoolThreads(new ForkJoinPool(1), 1);
        Thread plain = new Thread(() -> { }, "pool-99-thread-1-lookalike");
        plain.start();
        plain.join();
        IResult withStacks = evaluate(stop(r)).get(ThreadPoolSprawlRule.ID);
        assertEquals(Severity.INFO, withStacks.getSeverity());
        assertTrue(withStacks.getSummary().startsWith("3 thread(s) of 2 "), withStacks.getSummary());

        Recording names = recording(false);
        names.start();
        startPoolThreads(Executors.newFixedThreadPool(16), 16);        // default names, no stacks
        startPoolThreads(Executors.newFixedThreadPool(2, custom), 2);  // invisible without stacks
        IResult byName = evaluate(stop(names)).get(ThreadPoolSprawlRule.ID);
        assertEquals(Severity.WARNING, byName.getSeverity(), byName.getSummary());
        assertTrue(byName.getSummary().startsWith("16 thread(s) of 1 "), byName.getSummary());
    }

    /**
     * Two lambdas of one class are two functions to the CPU hog rule (named by their methods:
     * the tests run with java.lang open to jwq, as the README asks).
     */
    @Test
    void twoLambdasOfOneClassAreTwoFunctions() throws Exception {
        Runnable often = () -> { };
        Runnable once = () -> { };
        Recording r = recording(true);
        r.start();
        for (int i = 0; i < 4; i++) {
            Tracepoints.cpuIntensive("events", often.getClass(), 0, "jwq/0:0", 12_000_000, 10_000_000);
        }
        Tracepoints.cpuIntensive("events", once.getClass(), 0, "jwq/0:0", 12_000_000, 10_000_000);
        IResult hog = evaluate(stop(r)).get(CpuHogRule.ID);
        assertEquals(Severity.WARNING, hog.getSeverity(), hog.getSummary());
        String prefix = JwqRulesTest.class.getName() + "::lambda$twoLambdasOfOneClassAreTwoFunctions$";
        assertTrue(hog.getSummary().startsWith(prefix), hog.getSummary());
        assertTrue(hog.getSummary().endsWith(" on 'events' hogged the CPU 4 time(s)."), hog.getSummary());
        String explanation = hog.getExplanation();
        assertEquals(2, explanation.split(java.util.regex.Pattern.quote(prefix), -1).length - 1,
                "both functions listed apart: " + explanation);
    }

    @Test
    void recordingWithoutJwqEventsIsNotApplicable() throws Exception {
        Recording r = new Recording();
        r.enable("jdk.ThreadStart");
        r.enable("jdk.ActiveSetting");
        // A JVM without jwq has no jwq event types; in this one, those other tests registered would
        // be listed as enabled (their defaults) by jdk.ActiveSetting, which JMC counts as evidence.
        for (jdk.jfr.EventType t : jdk.jfr.FlightRecorder.getFlightRecorder().getEventTypes()) {
            if (t.getName().startsWith("dev.jwq.")) {
                r.disable(t.getName());
            }
        }
        r.start();
        Map<String, IResult> results = evaluate(stop(r));
        for (String id : List.of(WorkqueueStallRule.ID, QueueLatencyRule.ID, CpuHogRule.ID, RescuerRule.ID)) {
            Severity s = results.get(id).getSeverity();
            assertTrue(s == Severity.NA || s == Severity.IGNORE, id + " gave " + s);
        }
    }

    /** Every jwq rule's events on at threshold 0, jdk.ThreadStart with or without stack traces. */
    private static Recording recording(boolean threadStartStacks) {
        Recording r = new Recording();
        for (String e : List.of(EventNames.WORK_EXECUTION, EventNames.POOL_STALL, EventNames.CPU_INTENSIVE,
                EventNames.MAYDAY, EventNames.RESCUE)) {
            r.enable(e).withThreshold(Duration.ZERO).withoutStackTrace();
        }
        r.enable(EventNames.WORK_EXECUTION).with("sampleOneIn", "1");
        // On in the JDK's default.jfc; JMC learns from it that an event was enabled but never happened.
        r.enable("jdk.ActiveSetting");
        if (threadStartStacks) {
            r.enable("jdk.ThreadStart").withStackTrace();
        } else {
            r.enable("jdk.ThreadStart").withoutStackTrace();
        }
        return r;
    }

    private static void item(String wq, long latencyNanos) {
        // queued latencyNanos before it starts (plus the instant executeStart takes to read the clock)
        WorkExecution e = Tracepoints.executeStart(Tracepoints.queueStamp() - latencyNanos);
        Tracepoints.executeEnd(e, wq, Work.class, 6, "jwq/3:1", false, null);
    }

    /** Makes {@code pool} start {@code threads} workers (each task waits until all have started), then shuts it down. */
    private static void startPoolThreads(ExecutorService pool, int threads) throws Exception {
        java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            fs.add(pool.submit(() -> {
                all.countDown();
                return all.await(30, TimeUnit.SECONDS);
            }));
        }
        for (Future<?> f : fs) {
            assertEquals(Boolean.TRUE, f.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }

    private Path stop(Recording r) throws Exception {
        r.stop();
        Path file = Files.createTempFile(dir, "rules", ".jfr");
        r.dump(file);
        r.close();
        return file;
    }

    private static Map<String, IResult> evaluate(Path file) throws Exception {
        return JwqRulesReport.evaluate(file);
    }

}
