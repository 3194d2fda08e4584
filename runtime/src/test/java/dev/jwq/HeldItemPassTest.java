package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker whose item ended while it held the item it queued starts that item without the pool
 * lock ({@link Worker#passHeld}) when nothing the lock guards is involved. These tests force
 * each case where something is: a flush that moved the work color on, and a later instance of
 * the ended item cancelled while it ran; the pass must then fall through to the end under the
 * lock, or a flush never returns. They run on a per-CPU workqueue, whose pool is saturated by
 * one running item, so what the item queues is held.
 */
@Timeout(value = 60, unit = SECONDS)
class HeldItemPassTest extends HeldItemFixture {
    /** Inside an item: items its worker passed on without the lock since it last ended one under it. */
    private static int passes() {
        return Worker.current().passesSinceLock();
    }

    @RepeatedTest(3)
    void aHeldItemStartsWithoutThePoolLockAndIsCounted() throws Exception {
        Workqueue wq = perCpu("pass-counted");
        AtomicBoolean held = new AtomicBoolean();
        AtomicInteger passesInB = new AtomicInteger(-1);
        CountDownLatch bRan = new CountDownLatch(1);
        Work b = new Work(() -> {
            passesInB.set(passes());
            bRan.countDown();
        });
        wq.queueOn(cpu, new Work(() -> {
            wq.queueOn(cpu, b);
            held.set(holding());
        }));
        await(bRan, "the held item's run");
        assertTrue(held.get(), "the item was not held: this test exercises nothing");
        assertEquals(1, passesInB.get(), "the held item did not start by a pass without the lock");
        wq.flush();
        PwqCounters c = wq.counters();
        assertEquals(2, c.started, "items started, with the one passed on");
        assertEquals(2, c.completed, "items completed, with the one that passed its slot on");
    }

    @RepeatedTest(3)
    void aFlushThatMovedTheColorOnMakesTheEndGoThroughTheLock() throws Exception {
        Workqueue wq = perCpu("pass-flush-color");
        AtomicBoolean held = new AtomicBoolean(), queued = new AtomicBoolean(), colorMoved = new AtomicBoolean();
        AtomicInteger passesInB = new AtomicInteger(-1);
        AtomicInteger colorOfA = new AtomicInteger(-1);
        AtomicReference<PoolWorkqueue> pwqOfA = new AtomicReference<>();
        AtomicBoolean bDone = new AtomicBoolean();
        wq.queueOn(cpu, new Work(() -> {
            PoolWorkqueue pwq = Worker.current().currentPwq;
            colorOfA.set(pwq.workColor());
            pwqOfA.set(pwq);
            wq.queueOn(cpu, new Work(() -> {
                passesInB.set(passes());
                bDone.set(true);
            }));
            held.set(holding());
            queued.set(true);
            spinUntil(colorMoved);
        }));
        cleanups.add(() -> colorMoved.set(true));
        awaitTrue(queued::get, "the item queued");
        PoolWorkqueue pwq = pwqOfA.get();
        CompletableFuture<Boolean> flushed = CompletableFuture.supplyAsync(() -> {
            wq.flush();
            return bDone.get();
        });
        awaitTrue(() -> pwq.workColor() != colorOfA.get(), "the flush moving the work color on");
        colorMoved.set(true);
        assertTrue(flushed.get(MUST_HAPPEN_S, SECONDS), "flush() returned before the held item ran");
        assertTrue(held.get(), "the item was not held: this test exercises nothing");
        assertEquals(0, passesInB.get(), "the held item was passed on although a flush had moved the color on");
    }

    @RepeatedTest(3)
    void anInstanceCancelledWhileTheEarlierRanIsDoneOnlyAfterIt() throws Exception {
        Workqueue wq = perCpu("pass-done-credit");
        AtomicBoolean held = new AtomicBoolean(), queued = new AtomicBoolean(), finish = new AtomicBoolean();
        AtomicInteger passesInB = new AtomicInteger(-1);
        CountDownLatch bRan = new CountDownLatch(1);
        Work b = new Work(() -> {
            passesInB.set(passes());
            bRan.countDown();
        });
        Work a = new Work(() -> {
            wq.queueOn(cpu, b);
            held.set(holding());
            queued.set(true);
            spinUntil(finish);
        });
        cleanups.add(() -> finish.set(true));
        wq.queueOn(cpu, a);
        awaitTrue(queued::get, "the item queued");
        assertTrue(wq.queueOn(cpu, a), "a second instance of the running item could not be queued");
        assertTrue(a.cancel(), "the second instance, pending, could not be cancelled");
        CompletableFuture<Void> flushed = CompletableFuture.runAsync(a::flush);
        waitMustNotHappen();
        assertFalse(flushed.isDone(), "flush() of the cancelled instance returned while the earlier one ran");
        finish.set(true);
        flushed.get(MUST_HAPPEN_S, SECONDS);
        await(bRan, "the held item's run");
        assertTrue(held.get(), "the item was not held: this test exercises nothing");
        assertNotEquals(1, passesInB.get(), "the held item was passed on although the ended item had a credit");
    }

    @Test
    void aHeldItemThatIsTheEndedItemItselfIsPassedOn() throws Exception {
        Workqueue wq = perCpu("pass-self");
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger passesInSecond = new AtomicInteger(-1);
        CountDownLatch done = new CountDownLatch(1);
        Work[] self = new Work[1];
        self[0] = new Work(() -> {
            if (runs.incrementAndGet() == 1) {
                assertTrue(wq.queueOn(cpu, self[0]), "the running item could not queue itself");
            } else {
                passesInSecond.set(passes());
                done.countDown();
            }
        });
        wq.queueOn(cpu, self[0]);
        await(done, "the item's second run");
        CompletableFuture.runAsync(self[0]::flush).get(MUST_HAPPEN_S, SECONDS);
        assertEquals(2, runs.get());
        assertEquals(1, passesInSecond.get(), "an item queued by itself was not passed on");
        assertFalse(self[0].flush(), "flush() found an instance still to wait for: the done count lost one");
    }
}
