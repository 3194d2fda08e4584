package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A queuer counts its item in flight and learns its flush color in one atomic step
 * ({@code PoolWorkqueue.countInFlight}), then queues it or is refused. A flush that moves the
 * work color on in between must wait for that item under the color it got, and be completed by
 * its end or by its refusal. Forced here in that order: the queuer's steps are done by hand
 * around a flush that has moved the colors on and is waiting.
 */
class FlushColorWhileQueueingTest {

    @RepeatedTest(3)
    void aFlushWaitsForAnItemCountedBeforeItMovedTheColorOn() throws Exception {
        try (Workqueue wq = Workqueue.builder("flush-color-queued").ordered().build()) {
            PoolWorkqueue pwq = wq.pwqs.routing().single;
            assertNotNull(pwq, "an ordered workqueue has one pwq");
            AtomicBoolean ran = new AtomicBoolean();
            Work item = new Work(() -> ran.set(true));
            assertTrue(item.casPendingIfEnabled());
            long counted = pwq.countInFlight();

            Thread flusher = startFlushAndAwaitColorMoved(wq, pwq, PoolWorkqueue.colorOf(counted));
            assertTrue(flusher.isAlive(), "the flush waits for the item counted before it");

            item.incQueuedSeq();
            pwq.enqueue(item, -1, counted, null, false); // the preempted queuer goes on
            flusher.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(flusher.isAlive(), "the item's end completes the flush");
            assertTrue(ran.get(), "the flush returned only after the item ran");
        }
    }

    @RepeatedTest(3)
    void aFlushWaitingForARefusedItemEndsWithItsRefusal() throws Exception {
        try (Workqueue wq = Workqueue.builder("flush-color-refused").ordered().build()) {
            PoolWorkqueue pwq = wq.pwqs.routing().single;
            assertNotNull(pwq, "an ordered workqueue has one pwq");
            long counted = pwq.countInFlight();

            Thread flusher = startFlushAndAwaitColorMoved(wq, pwq, PoolWorkqueue.colorOf(counted));
            assertTrue(flusher.isAlive(), "the flush waits for the item counted before it");

            pwq.uncountRefused(counted); // the queuer found the workqueue refusing
            flusher.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(flusher.isAlive(), "the refusal completes the flush");
            assertEquals(0, pwq.nrInFlightTotal(), "nothing left in flight");
            assertFalse(wq.pwqs.isBusy(), "the workqueue is idle again");
        }
    }

    /** Starts {@code wq.flush()} on a thread of its own; returns once it moved the work color on from {@code color}. */
    private static Thread startFlushAndAwaitColorMoved(Workqueue wq, PoolWorkqueue pwq, int color) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread flusher = Thread.ofPlatform().name("flusher").start(() -> {
            started.countDown();
            wq.flush();
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pwq.workColor() == color) {
            assertTrue(System.nanoTime() < deadline, "the flush moved the work color on");
            Thread.onSpinWait();
        }
        assertNotEquals(color, pwq.workColor());
        return flusher;
    }
}
