package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sampler judges a platform worker asleep only inside an item's function: a worker waiting
 * in jwq's own code between items, here for a pwq's consumer turn that its pass to the next
 * waiting item needs ({@link Worker#passOn}), is not the item blocking, as the carriers' news of
 * a virtual worker ignores it too. Judged asleep, it had the pool aim one higher and wake a
 * worker for nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SamplerBetweenItemsTest extends WorkqueueFixture {
    /** Monitor rounds over the watched pool while the worker waits for the turn. */
    private static final int ROUNDS = 5;

    @Test
    void aWorkerWaitingForAConsumersTurnBetweenItemsIsNotFoundAsleep() throws Exception {
        assumeTrue(PoolMonitor.SAMPLE_BLOCKING && !WorkerModel.VIRTUAL, "platform workers found blocked by the sampler");
        int cpu = Cpus.cpuAt(0);
        Workqueue ordered = track(Workqueue.builder("turn-waiter").flags(WqFlag.PERCPU).maxActive(1).build());
        Workqueue other = track(Workqueue.builder("behind-the-waiter").flags(WqFlag.PERCPU).build());
        AtomicBoolean release = new AtomicBoolean();
        cleanups.add(() -> release.set(true));
        AtomicReference<Worker> worker = new AtomicReference<>();
        CountDownLatch firstRunning = new CountDownLatch(1), secondRan = new CountDownLatch(1), otherRan = new CountDownLatch(1);
        // The first item spins (a running worker, never found blocked) until the scene is set.
        assertTrue(ordered.queueOn(cpu, new Work(() -> {
            worker.set(Worker.current());
            firstRunning.countDown();
            HeldItemFixture.spinUntil(release);
        })));
        await(firstRunning, "the first item's start");
        Worker w = worker.get();
        PoolWorkqueue pwq = w.currentPwq;
        // Its successor waits for the slot on the pwq's lock-free queue; an item of another
        // workqueue waits behind the running worker, so the monitor watches the pool.
        assertTrue(ordered.queueOn(cpu, new Work(secondRan::countDown)));
        assertTrue(other.queueOn(cpu, new Work(otherRan::countDown)));
        awaitTrue(w.pool::isWatched, "the pool watched, with an item waiting behind its running worker");
        // The test takes the pwq's consumer's turn: the first item's end, passing its slot on to
        // the second without the pool lock, waits for it, parked, outside any item.
        PendingFifo queue = pwq.pendingQueue();
        queue.consume();
        try {
            release.set(true);
            awaitTrue(() -> LockSupport.getBlocker(w.thread) == queue, "the worker parked for the consumer's turn");
            assertTrue(w.counted(), "the worker between items counts as running");
            Semaphore rounds = new Semaphore(0);
            PoolMonitor.parkChosen = (period, verdictAt, park) -> rounds.release();
            try {
                acquire(rounds, ROUNDS, ROUNDS + " monitor rounds");
            } finally {
                PoolMonitor.parkChosen = null;
            }
            assertTrue(w.pool.isWatched() && LockSupport.getBlocker(w.thread) == queue,
                    "the monitor's rounds looked at the pool while the worker waited for the turn");
            assertNotEquals(BlockingSource.SAMPLER, w.sleepSource(), "the sampler found the worker asleep between items");
            assertTrue(w.counted(), "the worker waiting for the turn between items stopped counting as running");
        } finally {
            queue.doneConsuming();
        }
        await(secondRan, "the second item's run");
        await(otherRan, "the other workqueue's item's run");
    }
}
