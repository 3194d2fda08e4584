package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An item a worker holds back is counted in flight with the unit of the worker's item, lent
 * ({@link Worker#mayLendTo}): the pair counts once while the item is held. These tests force
 * the ways the held item leaves its holder other than by running next there (its worker
 * blocks, cancel), after which both must be counted again: a flush queued meanwhile waits for
 * the queuer's item, and everything ends with nothing counted. Each checks from inside the
 * item that the unit really was lent (one unit for the two items), so none passes by taking
 * the usual path.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LentUnitTest extends HeldItemFixture {
    /** Inside an item: holding an item that counts on this item's unit (two items, one unit). */
    private static boolean lendingNow() {
        Worker w = Worker.current();
        return w != null && w.holds() && w.currentPwq.nrInFlightTotal() == 1;
    }

    /**
     * The holder blocks: its held item is let go and runs on another worker, while the holder
     * still runs. A flush started then must wait for the holder's item: had the held item taken
     * the only unit with it, the count would be zero while the holder runs.
     */
    @Test
    void whenTheHeldItemIsLetGoItsQueuerStaysCounted() throws Exception {
        Workqueue wq = perCpu("lent-let-go");
        AtomicBoolean lent = new AtomicBoolean();
        CountDownLatch bRan = new CountDownLatch(1), aMayEnd = gate(), aEnded = new CountDownLatch(1);
        wq.queueOn(cpu, new Work(() -> {
            wq.queueOn(cpu, new Work(bRan::countDown));
            lent.set(lendingNow());
            // Blocked: a virtual worker's carrier sees it; a platform worker says so (block()).
            if (Thread.currentThread().isVirtual()) {
                try {
                    aMayEnd.await(MUST_HAPPEN_S, SECONDS);
                } catch (InterruptedException e) {
                    problems.add(e.toString());
                }
            } else {
                block(aMayEnd, "the holder");
            }
            aEnded.countDown();
        }));
        await(bRan, "the let-go item's run while its holder blocks");
        assertTrue(lent.get(), "the held item did not count on its holder's unit: this test exercises nothing");
        CompletableFuture<Boolean> flushed = CompletableFuture.supplyAsync(() -> {
            wq.flush();
            return aEnded.getCount() == 0;
        });
        waitMustNotHappen();
        assertFalse(flushed.isDone(), "flush() returned while the item that queued the let-go one still ran");
        aMayEnd.countDown();
        assertTrue(flushed.get(MUST_HAPPEN_S, SECONDS), "flush() returned before the holder's item ended");
        assertNoProblems();
    }

    /**
     * The holder cancels the item it holds: the held item's unit goes, and the holder's item
     * must still count: a flush started while it runs waits for it.
     */
    @Test
    void cancellingTheHeldItemLeavesItsQueuerCounted() throws Exception {
        Workqueue wq = perCpu("lent-cancel");
        AtomicBoolean lent = new AtomicBoolean(), cancelled = new AtomicBoolean(), queued = new AtomicBoolean();
        AtomicBoolean finish = new AtomicBoolean(), aEnded = new AtomicBoolean();
        CountDownLatch bRan = new CountDownLatch(1);
        wq.queueOn(cpu, new Work(() -> {
            Work b = new Work(bRan::countDown);
            wq.queueOn(cpu, b);
            lent.set(lendingNow());
            cancelled.set(b.cancel());
            queued.set(true);
            spinUntil(finish);
            aEnded.set(true);
        }));
        cleanups.add(() -> finish.set(true));
        awaitTrue(queued::get, "the item that cancels what it held");
        assertTrue(lent.get(), "the held item did not count on its holder's unit: this test exercises nothing");
        assertTrue(cancelled.get(), "cancel() of the held item returned false");
        CompletableFuture<Boolean> flushed = CompletableFuture.supplyAsync(() -> {
            wq.flush();
            return aEnded.get();
        });
        waitMustNotHappen();
        assertFalse(flushed.isDone(), "flush() returned while the item that cancelled its held one still ran");
        finish.set(true);
        assertTrue(flushed.get(MUST_HAPPEN_S, SECONDS), "flush() returned before the holder's item ended");
        assertNotWithin(bRan, "the cancelled held item ran");
    }

    /**
     * The held item is let go by another thread (as the monitor or a carrier does when the
     * holder blocks), while the holder runs: it cannot run before a lock holder takes it from
     * the pool's released items, and by then it must count a unit of its own, or it could end
     * before its holder with the count dropping below the items in flight.
     */
    @RepeatedTest(3)
    void aHeldItemLetGoByAnotherThreadCountsAUnitOfItsOwn() throws Exception {
        Workqueue wq = perCpu("lent-other-thread");
        AtomicBoolean lent = new AtomicBoolean(), queued = new AtomicBoolean(), finish = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Worker> holder = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch bRan = new CountDownLatch(1);
        wq.queueOn(cpu, new Work(() -> {
            wq.queueOn(cpu, new Work(bRan::countDown));
            lent.set(lendingNow());
            holder.set(Worker.current());
            queued.set(true);
            spinUntil(finish);
        }));
        cleanups.add(() -> finish.set(true));
        awaitTrue(queued::get, "the item that holds what it queued");
        assertTrue(lent.get(), "the held item did not count on its holder's unit: this test exercises nothing");
        Worker w = holder.get();
        PoolWorkqueue pwq = w.currentPwq;
        w.releaseHeld(); // from this thread, not the holder's
        awaitTrue(() -> pwq.nrInFlightTotal() == 2, "the let-go item counted with a unit of its own (in flight: "
                + pwq.nrInFlightTotal() + ")");
        finish.set(true);
        await(bRan, "the let-go item's run");
        awaitTrue(() -> pwq.nrInFlightTotal() == 0, "nothing counted in flight once both ended");
    }

    /**
     * Chains whose steps block now and then (so held steps are let go while their holders
     * run, and holders end while a lock holder lets their item go), on the default (unbound)
     * workqueue and a per-CPU one, with flushes from outside: every flush waits for the steps
     * queued before it, and at the end nothing is counted in flight (a unit lent twice or lost
     * would leave the count off by one: flush or drain would hang, or return early).
     */
    @RepeatedTest(3)
    void chainsThatBlockKeepTheCountExact() throws Exception {
        for (Workqueue wq : new Workqueue[] {track(Workqueue.builder("lent-chains").build()), perCpu("lent-chains-pcpu")}) {
            int chains = 8, steps = 2_000;
            AtomicInteger done = new AtomicInteger(), started = new AtomicInteger();
            CountDownLatch allDone = new CountDownLatch(chains);
            for (int c = 0; c < chains; c++) {
                wq.queue(new Work(new Step(wq, steps, started, done, allDone)));
            }
            while (allDone.getCount() > 0) {
                int before = started.get();
                wq.flush();
                // Every step queued before the flush began had started by then, and has ended now.
                assertTrue(done.get() >= before, "flush() returned before a step queued ahead of it ended");
            }
            await(allDone, "the chains' ends");
            wq.drain();
            awaitTrue(() -> wq.pwqs.all().stream().allMatch(p -> p.nrInFlightTotal() == 0),
                    "nothing counted in flight once every chain ended");
            assertEquals(chains * steps, done.get());
            assertNoProblems();
        }
    }

    /** One step of a chain: queues the next, blocks briefly every seventh step, counts its end. */
    private final class Step implements Runnable {
        private final Workqueue wq;
        private final AtomicInteger started, done;
        private final CountDownLatch allDone;
        private int left;

        Step(Workqueue wq, int steps, AtomicInteger started, AtomicInteger done, CountDownLatch allDone) {
            this.wq = wq;
            this.left = steps;
            this.started = started;
            this.done = done;
            this.allDone = allDone;
        }

        @Override
        public void run() {
            started.incrementAndGet();
            if (--left > 0) {
                wq.queue(new Work(this));
                if (left % 7 == 0) {
                    // The blocking under test (it lets the held step go), not a wait for anything.
                    try {
                        Workqueues.blocking(() -> {
                            Thread.sleep(0, 50_000);
                            return null;
                        });
                    } catch (Exception e) {
                        problems.add(e.toString());
                    }
                }
            } else {
                allDone.countDown();
            }
            done.incrementAndGet();
        }
    }
}
