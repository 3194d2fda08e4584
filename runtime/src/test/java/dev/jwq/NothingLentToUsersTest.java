package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Nothing of the engine is lent to user code: a user's monitor on a work item cannot hold up a
 * pool, and a user's {@code equals} on a work item cannot confuse the engine's bookkeeping.
 */
class NothingLentToUsersTest {
    @Test
    void aUserHoldingAWorkItemsMonitorDoesNotStallFlushOrThePool() throws Exception {
        try (Workqueue wq = Workqueue.builder("lent-monitor").build()) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Work w = new Work(() -> {
                started.countDown();
                awaitQuietly(release);
            });
            assertTrue(wq.queue(w));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            CountDownLatch flushed = new CountDownLatch(1);
            Thread flusher = new Thread(() -> {
                w.flush();
                flushed.countDown();
            });
            CountDownLatch next = new CountDownLatch(1);
            synchronized (w) { // what a user may do with any object it owns
                flusher.start();
                // The flusher registers while we hold the item's monitor; the item then ends.
                while (flusher.getState() != Thread.State.WAITING && flusher.getState() != Thread.State.BLOCKED) {
                    Thread.onSpinWait();
                }
                release.countDown();
                assertTrue(flushed.await(10, TimeUnit.SECONDS), "flush() did not return while a user held the item's monitor");
                wq.execute(next::countDown);
                assertTrue(next.await(10, TimeUnit.SECONDS), "the pool stalled while a user held an item's monitor");
            }
            flusher.join();
        }
    }

    /** A user's subclass whose equals makes every instance equal to every other. */
    static final class AllEqualDelayedWork extends DelayedWork {
        AllEqualDelayedWork(Runnable fn) {
            super(fn);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AllEqualDelayedWork;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    @Test
    void armedItemsAreTrackedByIdentityNotByTheUsersEquals() throws Exception {
        Workqueue wq = Workqueue.builder("lent-equals").build();
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch late = new CountDownLatch(1);
        DelayedWork early = new AllEqualDelayedWork(ran::incrementAndGet);
        DelayedWork later = new AllEqualDelayedWork(() -> {
            ran.incrementAndGet();
            late.countDown();
        });
        assertTrue(wq.queueDelayed(early, Duration.ofMillis(20)));
        assertTrue(wq.queueDelayed(later, Duration.ofMillis(400)));
        wq.shutdown(); // one-shot delayed items still run when due
        assertTrue(late.await(10, TimeUnit.SECONDS), "the second armed item never ran: it was taken for the first one");
        assertTrue(wq.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(2, ran.get());
    }

    private static void awaitQuietly(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
