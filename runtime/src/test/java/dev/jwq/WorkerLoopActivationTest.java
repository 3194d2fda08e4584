package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker's loop runs in activations of at most {@link LongLoops#WORKER_TURNS_WARM} items that
 * return and are called again (LongLoops says why): a stretch of work cut there goes on in the
 * next activation as if nothing happened, on the same worker, which never goes idle in between.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class WorkerLoopActivationTest {
    /**
     * Two items on two per-CPU workqueues that queue each other from inside, on CPU 0's pool,
     * 2 x WORKER_TURNS_WARM + 100 runs in all: each run is a turn of its worker's loop of its own
     * (an item of another workqueue is not run next without the lock), so the loop crosses two
     * activations while the items keep it busy. Every run must be on the first one's worker,
     * the loop must have gone on in a fresh activation at least twice, and the worker must never
     * have gone idle meanwhile (an activation that left its running stretch would go idle with
     * the other item waiting).
     */
    @Test
    void aWorkerKeptBusyAcrossActivationsOfItsLoopStaysOnItsStretch() throws Exception {
        int runs = 2 * LongLoops.WORKER_TURNS_WARM + 100;
        int cpu = Cpus.cpuAt(0);
        AtomicReference<Worker> first = new AtomicReference<>();
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger elsewhere = new AtomicInteger();
        AtomicInteger resumed = new AtomicInteger();
        AtomicInteger wentIdle = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        Worker.loopResumed = w -> {
            if (w == first.get() && done.getCount() > 0) {
                resumed.incrementAndGet();
            }
        };
        Worker.beforeIdlePark = w -> {
            if (w == first.get() && done.getCount() > 0) {
                wentIdle.incrementAndGet();
            }
        };
        try (Workqueue ping = Workqueue.builder("loop-ping").flags(WqFlag.PERCPU).build();
             Workqueue pong = Workqueue.builder("loop-pong").flags(WqFlag.PERCPU).build()) {
            Work[] items = new Work[2];
            Workqueue[] queues = {ping, pong};
            for (int i = 0; i < 2; i++) {
                int other = 1 - i;
                items[i] = new Work(() -> {
                    Worker me = Worker.current();
                    first.compareAndSet(null, me);
                    if (me != first.get()) {
                        elsewhere.incrementAndGet();
                    }
                    if (ran.incrementAndGet() < runs) {
                        queues[other].queueOn(cpu, items[other]);
                    } else {
                        done.countDown();
                    }
                });
            }
            assertTrue(ping.queueOn(cpu, items[0]));
            assertTrue(done.await(20, TimeUnit.SECONDS), "ran " + ran.get() + " of " + runs);
            ping.flush();
            pong.flush();
        } finally {
            Worker.loopResumed = null;
            Worker.beforeIdlePark = null;
        }
        assertEquals(runs, ran.get());
        assertEquals(0, elsewhere.get(), "runs on another worker than the first one's");
        assertTrue(resumed.get() >= 2, "the worker's loop went on in a fresh activation " + resumed.get() + " times");
        assertEquals(0, wentIdle.get(), "the worker went idle while the other item waited");
    }
}
