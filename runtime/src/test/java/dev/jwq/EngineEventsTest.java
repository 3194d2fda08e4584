package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.jfr.EventNames;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine emits its events where workqueue.c calls its tracepoints: a scripted scenario
 * (queue, activation after max_active, runs, a failure, explicit blocking, a CPU hog, worker
 * creation) recorded with every jwq event on and every item sampled, then read back.
 */
class EngineEventsTest extends WorkqueueFixture {
    static final class Spin implements Runnable {
        final AtomicBoolean stop;

        Spin(AtomicBoolean stop) {
            this.stop = stop;
        }

        @Override
        public void run() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MUST_HAPPEN_S);
            while (!stop.get() && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
        }
    }

    static final class Failing implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("scripted failure");
        }
    }

    @Test
    void aScriptedScenarioLeavesEachEventWithItsFields(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("engine.jfr");
        CountDownLatch hogReported = new CountDownLatch(1);
        try (Recording r = new Recording(); RecordingStream hogStream = new RecordingStream()) {
            for (String name : List.of(EventNames.WORK_QUEUED, EventNames.WORK_ACTIVATED, EventNames.WORK_EXECUTION,
                    EventNames.WORKER_SLEEPING, EventNames.WORKER_LIFECYCLE, EventNames.CPU_INTENSIVE)) {
                r.enable(name).withoutThreshold();
            }
            r.enable(EventNames.WORK_EXECUTION).with("sampleOneIn", "1");
            r.start();
            hogStream.enable(EventNames.CPU_INTENSIVE);
            hogStream.onEvent(EventNames.CPU_INTENSIVE, e -> hogReported.countDown());
            hogStream.startAsync();

            // max_active 1: the second item waits inactive, then is activated.
            Workqueue limited = track(Workqueue.builder("ev-limited").flags(WqFlag.UNBOUND).maxActive(1).build());
            CountDownLatch gate = gate();
            CountDownLatch firstIn = new CountDownLatch(1);
            limited.execute(() -> {
                firstIn.countDown();
                block(gate, "first"); // inside Workqueues.blocking
            });
            await(firstIn, "first item");
            limited.execute(new Failing());
            gate.countDown();
            limited.flush();

            // A hog on a CPU's pool, found by the monitor, lets the item behind it start.
            Workqueue percpu = track(Workqueue.builder("ev-percpu").flags(WqFlag.PERCPU).build());
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch behind = new CountDownLatch(1);
            percpu.queueOn(Cpus.cpuAt(0), new Work(new Spin(stop)));
            percpu.queueOn(Cpus.cpuAt(0), new Work(() -> {
                stop.set(true);
                behind.countDown();
            }));
            await(behind, "the item behind the hog");
            percpu.flush();
            // The monitor reports the hog just after the pass that freed the item behind it:
            // wait for the report itself before stopping the recording.
            await(hogReported, "the CPU hog event");
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertHas(events, EventNames.WORK_QUEUED, e -> e.getString("workqueue").equals("ev-limited") && e.getBoolean("inactive")
                && e.getString("function").contains("Failing"), "the second item queued inactive");
        assertHas(events, EventNames.WORK_ACTIVATED, e -> e.getString("workqueue").equals("ev-limited")
                && e.getString("function").contains("Failing") && e.getDuration("inactiveTime").toNanos() > 0, "activated after max_active");
        assertHas(events, EventNames.WORK_EXECUTION, e -> e.getString("workqueue").equals("ev-limited")
                && "java.lang.IllegalStateException".equals(e.getString("failure")), "the failing run, with its failure");
        assertHas(events, EventNames.WORK_EXECUTION, e -> e.getString("workqueue").equals("ev-percpu")
                && e.getString("function").contains("Spin") && e.getBoolean("cpuIntensive")
                && e.getString("worker").startsWith("jwq/" + Cpus.cpuAt(0) + ":"), "the hog's run, marked CPU-intensive");
        assertHas(events, EventNames.WORKER_SLEEPING, e -> "explicit".equals(e.getString("detectedBy")), "explicit blocking");
        assertHas(events, EventNames.CPU_INTENSIVE, e -> e.getString("workqueue").equals("ev-percpu")
                && e.getString("function").contains("Spin") && e.getDuration("cpuTime").toMillis() >= 1, "the hog report");
        assertFalse(events.stream().anyMatch(e -> e.getEventType().getName().equals(EventNames.WORK_EXECUTION)
                && e.getString("function").contains("FutureTask")), "functions are the user's tasks, not wrappers");
    }

    @Test
    void workerCreationIsRecorded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lifecycle.jfr");
        try (Recording r = new Recording()) {
            r.enable(EventNames.WORKER_LIFECYCLE);
            r.start();
            // A fresh unbound pool (its own attributes) must create its first workers now: not
            // one that another test's workqueue of equal attributes left lingering.
            Pools.destroyLingeringNow();
            Workqueue wq = track(Workqueue.builder("ev-fresh").flags(WqFlag.UNBOUND, WqFlag.HIGHPRI)
                    .affinityScope(AffinityScope.SMT, true).build());
            CountDownLatch ran = new CountDownLatch(1);
            wq.execute(ran::countDown);
            await(ran, "an item on a fresh pool");
            r.stop();
            r.dump(file);
        }
        assertHas(RecordingFile.readAllEvents(file), EventNames.WORKER_LIFECYCLE,
                e -> "created".equals(e.getString("action")) && e.getString("worker").startsWith("jwq/u")
                        && e.getString("worker").endsWith("H"), "a high-priority unbound worker created");
    }

    static void assertHas(List<RecordedEvent> events, String type, Predicate<RecordedEvent> p, String what) {
        List<RecordedEvent> ofType = events.stream().filter(e -> e.getEventType().getName().equals(type)).toList();
        assertTrue(ofType.stream().anyMatch(p), what + ": no matching " + type + " among " + ofType.size() + ": " + ofType);
    }
}
