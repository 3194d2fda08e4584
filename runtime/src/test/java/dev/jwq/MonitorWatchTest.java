package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When the pool monitor is asked to sample a pool: only while work waits behind the workers
 * counted as running (one of them may be blocked), not while it only waits for a worker being
 * woken. A monitor sampling every period for a paced submitter's items took the CPU from the
 * woken workers (WorkerPool.unlock says what it cost).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MonitorWatchTest {
    private static final long WAIT_S = 30;

    /**
     * As many items as the pool runs at once, queued one after another into an idle pool: each
     * gets a worker (woken, or started by a woken one) and none waits behind a running one, so
     * the pool is never watched. All of them run at once before any ends, which proves that no
     * item needed the monitor to start. Fails if queueing into an idle pool, or an item queued
     * while a worker is on its way, has the pool watched.
     */
    @Test
    void itemsThatOnlyWaitForAWokenWorkerDoNotHaveThePoolWatched() throws Exception {
        for (int round = 0; round < 20; round++) {
            Workqueue wq = withPoolOfItsOwn("watch-idle-" + round);
            WorkerPool pool = wq.pwqs().get(0).pool;
            awaitUnwatchedAndIdle(pool);
            int n = pool.concurrency;
            CountDownLatch allRunning = new CountDownLatch(n), done = new CountDownLatch(n);
            AtomicBoolean seenWatched = new AtomicBoolean();
            for (int i = 0; i < n; i++) {
                wq.execute(() -> {
                    allRunning.countDown();
                    try {
                        allRunning.await(WAIT_S, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    seenWatched.compareAndSet(false, pool.isWatched());
                    done.countDown();
                });
                seenWatched.compareAndSet(false, pool.isWatched());
            }
            assertTrue(done.await(WAIT_S, TimeUnit.SECONDS), "round " + round + ": " + done.getCount() + " of " + n
                    + " items did not end");
            seenWatched.compareAndSet(false, pool.isWatched());
            assertFalse(seenWatched.get(), "round " + round + ": " + n + " items in a pool of concurrency " + n
                    + ", none waiting behind a running one, had the pool watched");
            wq.shutdown();
            assertTrue(wq.awaitTermination(WAIT_S, TimeUnit.SECONDS));
        }
    }

    /**
     * The control: one item more than the pool runs at once, behind items that keep running
     * (spinning, so that no model sees them block), waits behind running workers: the pool is
     * watched, as the monitor must look for a blocked one among them.
     */
    @Test
    void anItemWaitingBehindRunningWorkersHasThePoolWatched() throws Exception {
        Workqueue wq = withPoolOfItsOwn("watch-busy");
        WorkerPool pool = wq.pwqs().get(0).pool;
        awaitUnwatchedAndIdle(pool);
        int n = pool.concurrency;
        CountDownLatch spinning = new CountDownLatch(n), lastRan = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger started = new AtomicInteger();
        try {
            for (int i = 0; i < n; i++) {
                wq.execute(() -> {
                    started.incrementAndGet();
                    spinning.countDown();
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
                    while (!stop.get() && System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                });
            }
            assertTrue(spinning.await(WAIT_S, TimeUnit.SECONDS), "the spinners did not all start");
            wq.execute(lastRan::countDown);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (!pool.isWatched() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(pool.isWatched(), "an item waiting behind " + n + " running workers did not have the pool watched");
        } finally {
            stop.set(true);
        }
        assertTrue(lastRan.await(WAIT_S, TimeUnit.SECONDS), "the last item never ran");
        assertEquals(n, started.get());
        wq.shutdown();
        assertTrue(wq.awaitTermination(WAIT_S, TimeUnit.SECONDS));
    }

    /**
     * An unbound workqueue on a pool no other test's workqueue shares (strict and high priority
     * over the default pod, attributes no other test asks for): items that earlier tests left in
     * the shared default pool (a timer's, a draining workqueue's) would wait behind running
     * workers and rightly have it watched mid-round, which failed the first test in whole runs
     * of the suite (a scratch harness: 59 rounds of 1,000 beside such a background load on the
     * shared pool, none on a pool of its own).
     */
    private static Workqueue withPoolOfItsOwn(String name) {
        Workqueue wq = Workqueue.builder(name).build();
        wq.applyAttributes(wq.unboundAttributes().withStrict(true).withHighPriority(true));
        assertEquals(1, wq.pwqs().size(), "the default pool's pwq not retired yet");
        return wq;
    }

    /** Waits until the monitor has dropped {@code pool} and nothing of earlier tests runs there. */
    private static void awaitUnwatchedAndIdle(WorkerPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (pool.isWatched() || pool.nrRunning != 0 || !pool.worklist.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, pool + " stays watched or busy (watched " + pool.isWatched()
                    + ", running " + pool.nrRunning + ")");
            Thread.sleep(1);
        }
    }
}
