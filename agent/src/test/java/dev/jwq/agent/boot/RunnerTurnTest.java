package dev.jwq.agent.boot;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.jfr.EventNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * A runner of a rewritten pool in queued mode takes tasks from the caller's queue for a turn
 * ({@link JwqThreadPoolExecutor#RUNNER_SLICE_NANOS}) before it queues itself again: counted by
 * the {@code WorkQueued} events of the pool's workqueue (the runner's start and each requeue).
 * A pool of one, its runner held by a first task while the others wait in the queue, so every
 * task after it is taken by that runner.
 */
class RunnerTurnTest {
    private static final long LONG = ThreadPoolExecutorCompatibilityTest.LONG;
    private static final String SITE = "RunnerTurn.test:1";

    /**
     * Tiny tasks share turns: a turn ends only at a clock check, and the first that can end it
     * comes after the second task, so a turn runs two tasks at least (per task, a requeue each).
     */
    @Test
    void tinyTasksShareATurn() throws Exception {
        int tasks = 40;
        List<RecordedEvent> queued = queuedEvents(tasks, 0);
        assertTrue(queued.size() <= (tasks + 1) / 2 + 1,
                "a turn per task or so: " + queued.size() + " queueings for " + (tasks + 1) + " tasks");
    }

    /**
     * Tasks longer than the slice end a turn at the first check that may end it (after a turn's
     * second task): turns of two tasks, so the pool's other items get their turn between.
     */
    @Test
    void aTurnEndsWithItsSlice() throws Exception {
        int tasks = 7; // and the first: 8 tasks, 4 turns of 2
        long spin = 3 * JwqThreadPoolExecutor.RUNNER_SLICE_NANOS / 2;
        List<RecordedEvent> queued = queuedEvents(tasks, spin);
        assertEquals((tasks + 1) / 2, queued.size(), "one queueing per two tasks: " + queued);
    }

    /**
     * Runs a held first task then {@code tasks} more, each spinning {@code spinNanos} on the
     * clock, on a pool of one in queued mode, and returns the workqueue's {@code WorkQueued}
     * events meanwhile.
     */
    private static List<RecordedEvent> queuedEvents(int tasks, long spinNanos) throws Exception {
        JwqThreadPoolExecutor p = new JwqThreadPoolExecutor(1, 1, 10, SECONDS, new LinkedBlockingQueue<>(), SITE);
        Path file = Files.createTempFile("runner-turn", ".jfr");
        try (Recording r = new Recording()) {
            r.enable(EventNames.WORK_QUEUED).withoutThreshold();
            r.start();
            p.getQueue(); // queued mode: tasks wait in the caller's queue behind runners
            CountDownLatch firstStarted = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(tasks + 1);
            p.execute(() -> {
                firstStarted.countDown();
                await(release);
                spin(spinNanos);
                done.countDown();
            });
            assertTrue(firstStarted.await(LONG, SECONDS), "the first task started");
            for (int i = 0; i < tasks; i++) {
                p.execute(() -> {
                    spin(spinNanos);
                    done.countDown();
                });
            }
            assertEquals(tasks, p.getQueue().size(), "all but the first wait in the queue");
            release.countDown();
            assertTrue(done.await(LONG, SECONDS), "every task ran");
            r.stop();
            r.dump(file);
        } finally {
            p.shutdown();
            assertTrue(p.awaitTermination(LONG, SECONDS), "terminated");
        }
        try {
            String wq = p.workqueue().name();
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals(EventNames.WORK_QUEUED))
                    .filter(e -> wq.contains(e.getString("workqueue")))
                    .toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void spin(long nanos) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            Thread.onSpinWait();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(LONG, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
