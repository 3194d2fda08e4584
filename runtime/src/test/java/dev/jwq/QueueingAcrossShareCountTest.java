package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/**
 * An ordered workqueue's pwq stops counting max_active alone when its attributes change
 * ({@code PoolWorkqueue.shareCount}); from then on items are queued under the pool lock. A
 * queuer that decided on the lock-free path just before still pushes its item on the lock-free
 * list afterwards. The next item, queued under the lock, must not overtake it: forced here in
 * that order (the late lock-free push is done by hand, as the preempted queuer would).
 */
class QueueingAcrossShareCountTest {

    @RepeatedTest(3)
    void anItemQueuedUnderTheLockDoesNotOvertakeALateLockFreeOne() throws Exception {
        try (Workqueue wq = Workqueue.builder("share-count-order").ordered().build()) {
            List<String> ran = new CopyOnWriteArrayList<>();
            CountDownLatch holding = new CountDownLatch(1), release = new CountDownLatch(1), done = new CountDownLatch(2);
            // Hold the one active slot, so that what follows waits and its order shows.
            assertTrue(wq.queue(new Work(() -> {
                holding.countDown();
                awaitQuietly(release);
            })));
            assertTrue(holding.await(10, TimeUnit.SECONDS));

            PoolWorkqueue pwq = wq.pwqs.routing().single;
            assertNotNull(pwq, "an ordered workqueue has one pwq");
            assertTrue(pwq.queuesWithoutLock(), "it counts max_active alone: the late queuer's path");

            // The pwq begins sharing its count (what applyAttributes does first)...
            pwq.locked(PoolWorkqueue::shareCount);
            // ...and only now the queuer that chose the lock-free path pushes its item A.
            Work a = new Work(() -> {
                ran.add("A");
                done.countDown();
            });
            assertTrue(a.casPendingIfEnabled());
            long counted = pwq.countInFlight();
            a.incQueuedSeq();
            pwq.enqueue(a, -1, counted, null, false);

            // B, queued after A by the same thread, takes the locked path.
            assertTrue(wq.queue(new Work(() -> {
                ran.add("B");
                done.countDown();
            })));

            release.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS), "both items ran");
            assertEquals(List.of("A", "B"), ran, "queueing order on an ordered workqueue");
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
