package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An item that passes its slot without the lock to a waiting item of its color owes its unit in
 * flight ({@link Worker#oweUnit}); the owed units are paid, to their color, when the streak
 * reaches an item of another color or ends under the lock. A flush of the owed color must
 * return once that color's items have ended, while an item of the next color runs: if the
 * units were owed across the color change, or never paid, it waits for that item, which here
 * waits for the flush.
 *
 * <p>Forced order: A0 blocks on a full pwq (max_active 1, or 2 with a blocked filler) while
 * A1..A5 queue behind it; a flush moves the work color on and waits for A0..A5 (and the
 * filler); B queues, of the new color, and waits for the flush to return; the filler and A0
 * are let go, and A1..A5 then B run by passes.
 */
@Timeout(value = 60, unit = SECONDS)
class OwedUnitTest extends WorkqueueFixture {

    private static final int BEHIND = 5;

    @Test
    void maxActive1() throws Exception {
        aFlushReturnsWhileTheItemAfterItsColorRuns(1);
    }

    @Test
    void maxActive2() throws Exception {
        aFlushReturnsWhileTheItemAfterItsColorRuns(2);
    }

    /** A drain after a streak of passes returns, and the pwq counts nothing in flight after it. */
    @Test
    void aDrainAfterAStreakFindsNothingOwed() throws Exception {
        for (int round = 0; round < 3; round++) {
            Workqueue wq = track(Workqueue.builder("owed-drain-" + round).maxActive(2).build());
            AtomicInteger passedItems = new AtomicInteger(), ran = new AtomicInteger();
            AtomicReference<PoolWorkqueue> pwq = new AtomicReference<>();
            // Both slots taken while the items queue: they wait, and go from slot to slot by passes.
            CountDownLatch blockersStarted = new CountDownLatch(2), blockersRelease = gate();
            for (int i = 0; i < 2; i++) {
                wq.execute(() -> {
                    blockersStarted.countDown();
                    block(blockersRelease, "blocker");
                });
            }
            await(blockersStarted, "the blockers' start");
            int items = 20_000;
            for (int i = 0; i < items; i++) {
                wq.execute(() -> {
                    Worker me = Worker.current();
                    pwq.set(me.currentPwq);
                    if (me.passesSinceLock() > 0) {
                        passedItems.incrementAndGet();
                    }
                    ran.incrementAndGet();
                });
            }
            blockersRelease.countDown();
            wq.drain();
            assertEquals(items, ran.get());
            assertTrue(passedItems.get() > 0, "no item ran by a pass: the test proves nothing");
            assertNothingInFlight(pwq.get(), "after drain, " + passedItems.get() + " items passed");
        }
    }

    private void aFlushReturnsWhileTheItemAfterItsColorRuns(int maxActive) throws Exception {
        int cpu0 = Cpus.cpuAt(0);
        Workqueue wq = track(Workqueue.builder("owed-flush-" + maxActive).flags(WqFlag.PERCPU).maxActive(maxActive).build());
        CountDownLatch a0Started = new CountDownLatch(1), a0Release = gate();
        AtomicReference<PoolWorkqueue> pwq0 = new AtomicReference<>();
        assertTrue(wq.queueOn(cpu0, new Work(() -> {
            pwq0.set(Worker.current().currentPwq);
            a0Started.countDown();
            block(a0Release, "A0");
        })));
        await(a0Started, "A0's start");
        CountDownLatch fillersRelease = fillSlots(wq, cpu0, maxActive - 1);
        AtomicInteger lastPasses = new AtomicInteger(-1);
        for (int i = 0; i < BEHIND; i++) {
            assertTrue(wq.queueOn(cpu0, new Work(() -> lastPasses.set(Worker.current().passesSinceLock()))));
        }
        PoolWorkqueue q0 = pwq0.get();
        int colorOfA = q0.workColor();
        CountDownLatch flushed = new CountDownLatch(1);
        Thread flusher = new Thread(() -> {
            wq.flush();
            flushed.countDown();
        }, "owed-flusher");
        flusher.start();
        awaitTrue(() -> q0.workColor() != colorOfA, "the flush moving the work color on");
        AtomicBoolean flushReturnedWhileBRan = new AtomicBoolean();
        CountDownLatch bEnded = new CountDownLatch(1);
        assertTrue(wq.queueOn(cpu0, new Work(() -> {
            try {
                flushReturnedWhileBRan.set(flushed.await(MUST_HAPPEN_S, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            bEnded.countDown();
        })));
        fillersRelease.countDown(); // of A's color: the flush waits for them too
        a0Release.countDown();
        await(bEnded, "B's end");
        flusher.join(SECONDS.toMillis(MUST_HAPPEN_S));
        assertTrue(lastPasses.get() > 0, "A" + BEHIND + " ran after " + lastPasses.get()
                + " passes without the lock: the test proves nothing");
        assertTrue(flushReturnedWhileBRan.get(), "the flush of A0..A" + BEHIND
                + "'s color did not return while B, of the next color, ran");
        assertNoProblems();
        wq.drain();
        assertNothingInFlight(q0, "after drain");
    }

    /** No unit of {@code pwq} left in flight (an owed one never paid would stay). */
    private static void assertNothingInFlight(PoolWorkqueue pwq, String when) {
        int[] inFlight = {-1};
        pwq.locked(q -> inFlight[0] = q.nrInFlightTotal());
        assertEquals(0, inFlight[0], "units counted in flight " + when);
    }
}
