package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pass without the lock ({@link Worker#passOn}) clears the ended item's runningOn before it
 * looks at the item's state, credit and color; when it then falls through, the end under the
 * lock clears runningOn again. Between the two the item may have been queued on another CPU's
 * pool (nothing said it still ran) and started there: the second clear wipes that instance's
 * runningOn, and non-reentrancy, flush credits and isRunning() are lost for it.
 *
 * <p>Forced order: A1 runs on cpu0 with B waiting behind it (max_active 1); a flush moves the
 * work color on (so A1's pass falls through at uncountPassed); the test holds pool0's lock while
 * A1 ends, so its worker waits for it after the pass cleared runningOn; A is queued on cpu1 and
 * starts there (A2, blocked); the lock is let go; the worker ends A1 under the lock.
 */
@Timeout(value = 60, unit = SECONDS)
class PassFallbackRunningOnTest extends WorkqueueFixture {

    /** max_active 1: the ordered-style pass from the waiting queue (4fefc66). */
    @Test
    void maxActive1() throws Exception {
        aPassThatFallsThroughDoesNotClearTheRunningOnOfALaterInstance(1);
    }

    /** max_active 2, full: the pass from the waiting queue that main allows too. */
    @Test
    void maxActive2() throws Exception {
        aPassThatFallsThroughDoesNotClearTheRunningOnOfALaterInstance(2);
    }

    private void aPassThatFallsThroughDoesNotClearTheRunningOnOfALaterInstance(int maxActive) throws Exception {
        assumeTrue(Cpus.count() >= 2, "needs two CPUs");
        int cpu0 = Cpus.cpuAt(0), cpu1 = Cpus.cpuAt(1);
        Workqueue wq = track(Workqueue.builder("pass-fallback-running-on-" + maxActive).flags(WqFlag.PERCPU).maxActive(maxActive).build());
        // Link cpu1's pwq now: linking later takes the flush mutex.
        Work warm = new Work(() -> { });
        assertTrue(wq.queueOn(cpu1, warm));
        warm.flush();

        CountDownLatch a1Started = new CountDownLatch(1), a2Started = new CountDownLatch(1);
        CountDownLatch a3Started = new CountDownLatch(1), bRan = new CountDownLatch(1);
        CountDownLatch a1Release = gate(), a2Release = gate();
        AtomicInteger runs = new AtomicInteger(), inside = new AtomicInteger(), overlaps = new AtomicInteger();
        AtomicReference<PoolWorkqueue> pwq0 = new AtomicReference<>();
        AtomicReference<Thread> a1Thread = new AtomicReference<>();
        Work a = new Work(() -> {
            if (inside.getAndIncrement() != 0) {
                overlaps.incrementAndGet();
            }
            int n = runs.incrementAndGet();
            if (n == 1) {
                pwq0.set(Worker.current().currentPwq);
                a1Thread.set(Thread.currentThread());
                a1Started.countDown();
                block(a1Release, "A1");
            } else if (n == 2) {
                a2Started.countDown();
                block(a2Release, "A2");
            } else if (n == 3) {
                a3Started.countDown();
            }
            inside.decrementAndGet();
        });
        Work b = new Work(bRan::countDown);

        assertTrue(wq.queueOn(cpu0, a));
        await(a1Started, "A1's start");
        // Fill the other slots with items that block until the end (another worker each).
        CountDownLatch fillersRelease = fillSlots(wq, cpu0, maxActive - 1);
        assertTrue(wq.queueOn(cpu0, b)); // waits on pwq0's lock-free queue: max_active 1
        PoolWorkqueue q0 = pwq0.get();
        int colorOfA1 = q0.workColor();
        Thread flusher = new Thread(wq::flush, "pass-fallback-flusher");
        flusher.start();
        // The flush has moved the color on and marked pwq0 (it holds pool0's lock to do that).
        awaitTrue(() -> {
            int[] f = {-1};
            q0.locked(q -> f[0] = q.flushColor);
            return f[0] == colorOfA1;
        }, "the flush marking pwq0");
        awaitTrue(() -> flusher.getState() == Thread.State.WAITING, "the flusher waiting");

        ReentrantLock lock = q0.pool.lock;
        boolean a2StartedMeanwhile;
        lock.lock();
        try {
            a1Release.countDown();
            // passOn took B, cleared A's runningOn, fell through (uncountPassed: the color moved
            // on) and now waits for the lock with B in `taken`.
            Thread w0 = a1Thread.get();
            awaitTrue(() -> lock.hasQueuedThread(w0), "A1's worker waiting for the lock after its pass fell through");
            assertTrue(wq.queueOn(cpu1, a), "A is idle: it queues");
            // Nothing said A still ran on cpu0: A2 goes to cpu1's pool and starts there.
            a2StartedMeanwhile = a2Started.await(MUST_NOT_HAPPEN_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
        await(bRan, "B's run after A1's end under the lock");
        await(a2Started, "A2's start");
        boolean runningAfter = a.isRunning();
        // Queued while A2 runs: non-reentrancy must route it to the pool A2 runs on, behind A2.
        assertTrue(wq.queueOn(cpu0, a));
        boolean a3Overlapped = a3Started.await(WorkqueueFixture.MUST_NOT_HAPPEN_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        a2Release.countDown();
        await(a3Started, "A3's run");
        a.flush();
        fillersRelease.countDown();
        flusher.join(SECONDS.toMillis(MUST_HAPPEN_S));
        assertTrue(runningAfter && !a3Overlapped && overlaps.get() == 0, "A2 started while A1's end waited for the lock: " + a2StartedMeanwhile
                + "; A2 still running, isRunning() after A1's end: "
                + runningAfter + ", A3 (queued on cpu0 meanwhile) started before A2 ended: " + a3Overlapped + ", overlaps " + overlaps.get());
        assertEquals(3, runs.get());
    }
}
