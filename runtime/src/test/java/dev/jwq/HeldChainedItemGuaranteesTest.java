package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An item that a worker queues on its own pwq while running one is held back to run next on
 * that worker ({@link Worker#holdChained}). Held, it is on no list; these tests force each way
 * it must still be found: the worker blocks, another CPU goes idle, cancel, shutdownNow, flush,
 * and a second item queued behind it. Each first checks, from inside the item, that the item
 * really was held, so that none passes by taking the usual path.
 *
 * <p>Most run on a per-CPU workqueue: its pool aims at one running worker, so the pool is
 * saturated while the item runs and the queued item is held. Inside the item, "wait" is a spin
 * on a flag where blocking would let the held item go.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeldChainedItemGuaranteesTest extends HeldItemFixture {
    @Test
    void aHeldItemRunsRightAfterItsQueuerOnTheSameWorker() throws Exception {
        Workqueue wq = perCpu("held-next");
        AtomicReference<String> queuer = new AtomicReference<>(), runner = new AtomicReference<>();
        AtomicBoolean held = new AtomicBoolean();
        CountDownLatch ran = new CountDownLatch(1);
        Work b = new Work(() -> {
            runner.set(Thread.currentThread().getName());
            ran.countDown();
        });
        wq.queueOn(cpu, new Work(() -> {
            queuer.set(Thread.currentThread().getName());
            wq.queueOn(cpu, b);
            held.set(holding());
        }));
        await(ran, "the held item's run");
        assertTrue(held.get(), "the item was not held: this test exercises nothing");
        assertEquals(queuer.get(), runner.get(), "the held item ran on another worker");
    }

    @Test
    void whenItsWorkerBlocksTheHeldItemRunsOnAnother() throws Exception {
        Workqueue wq = perCpu("held-blocking");
        AtomicBoolean held = new AtomicBoolean();
        AtomicReference<String> queuer = new AtomicReference<>(), runner = new AtomicReference<>();
        CountDownLatch bRan = new CountDownLatch(1), aDone = new CountDownLatch(1);
        Work b = new Work(() -> {
            runner.set(Thread.currentThread().getName());
            bRan.countDown();
        });
        wq.queueOn(cpu, new Work(() -> {
            queuer.set(Thread.currentThread().getName());
            wq.queueOn(cpu, b);
            held.set(holding());
            // A virtual worker's carrier sees it block; a platform worker says so.
            waitThenEnd(() -> Thread.currentThread().isVirtual() ? bRan.await(MUST_HAPPEN_S, SECONDS)
                    : Workqueues.blocking(() -> bRan.await(MUST_HAPPEN_S, SECONDS)),
                    "the item waiting for the item it held back was never let go", aDone);
        }));
        await(aDone, "the blocked item's end");
        assertNoProblems();
        assertTrue(held.get(), "the item was not held: this test exercises nothing");
        assertNotEquals(queuer.get(), runner.get(), "the held item should have run on another worker");
    }

    /**
     * A monitor verdict (a sampled sleep, a hog) that crosses the hold may read no held item:
     * the hold is stored without a fence. Played here by marking the worker asleep without
     * letting the item go, as such a verdict leaves it (EXPLICIT: the sampler undoes its own
     * verdicts on a thread it sees running). The monitor's next pass must let the item go, or
     * it waits for the item that queued it, which waits for it. Tried against broken code: with
     * the monitor's repair and the pool's other ways of letting held items go (an under-used
     * pool's unlock, a worker about to go idle) removed, the queuer gave up after MUST_HAPPEN_S;
     * with the repair alone, it passed.
     */
    @Test
    void aHeldItemAMonitorVerdictMissedIsLetGoByItsNextPass() throws Exception {
        Workqueue wq = perCpu("held-missed-verdict");
        AtomicBoolean held = new AtomicBoolean(), bRanFlag = new AtomicBoolean();
        CountDownLatch bRan = new CountDownLatch(1), aDone = new CountDownLatch(1);
        Work b = new Work(() -> {
            bRanFlag.set(true);
            bRan.countDown();
        });
        wq.queueOn(cpu, new Work(() -> {
            wq.queueOn(cpu, b);
            held.set(holding());
            Worker me = Worker.current();
            me.markSleeping(BlockingSource.EXPLICIT);
            me.pool.watch();
            // A virtual worker blocks (its carrier's report changes nothing: it is asleep
            // already); a platform worker spins, as blocking it would report itself.
            waitThenEnd(() -> Thread.currentThread().isVirtual() ? bRan.await(MUST_HAPPEN_S, SECONDS) : spinUntil(bRanFlag),
                    "the held item a verdict missed was never let go", aDone);
        }));
        await(aDone, "the queuer's end");
        assertNoProblems();
        assertTrue(held.get(), "the item was not held: this test exercises nothing");
    }

    @Test
    void cancelTakesAHeldItemAndItNeverRuns() throws Exception {
        Workqueue wq = perCpu("held-cancel");
        AtomicBoolean held = new AtomicBoolean(), cancelled = new AtomicBoolean();
        CountDownLatch bRan = new CountDownLatch(1), aDone = new CountDownLatch(1);
        Work b = new Work(bRan::countDown);
        wq.queueOn(cpu, new Work(() -> {
            wq.queueOn(cpu, b);
            held.set(holding());
            cancelled.set(b.cancel()); // from the holding worker itself: it must not wait for itself
            aDone.countDown();
        }));
        await(aDone, "the item that cancels what it held");
        assertTrue(held.get(), "the item was not held: this test exercises nothing");
        assertTrue(cancelled.get(), "cancel() of the held (pending) item returned false");
        assertNotWithin(bRan, "the cancelled held item ran");
        assertTrue(wq.queueOn(cpu, b), "the cancelled item could not be queued again");
        await(bRan, "the re-queued item's run");
    }

    @Test
    void shutdownNowReturnsAHeldItem() throws Exception {
        Workqueue wq = perCpu("held-shutdown-now");
        AtomicBoolean held = new AtomicBoolean(), queued = new AtomicBoolean(), finish = new AtomicBoolean();
        CountDownLatch bRan = new CountDownLatch(1);
        Runnable bTask = bRan::countDown;
        wq.queueOn(cpu, new Work(() -> {
            wq.queueOn(cpu, new Work(bTask));
            held.set(holding());
            queued.set(true);
            spinUntil(finish);
        }));
        cleanups.add(() -> finish.set(true));
        awaitTrue(queued::get, "the item queued");
        List<Runnable> never = wq.shutdownNow();
        finish.set(true);
        assertTrue(held.get(), "the item was not held: this test exercises nothing");
        assertTrue(never.contains(bTask), "shutdownNow() did not return the held item: " + never);
        assertNotWithin(bRan, "the held item ran after shutdownNow()");
    }

    @Test
    void flushWaitsForAHeldItem() throws Exception {
        Workqueue wq = perCpu("held-flush");
        AtomicBoolean held = new AtomicBoolean(), queued = new AtomicBoolean(), finish = new AtomicBoolean();
        AtomicBoolean bDone = new AtomicBoolean();
        wq.queueOn(cpu, new Work(() -> {
            wq.queueOn(cpu, new Work(() -> bDone.set(true)));
            held.set(holding());
            queued.set(true);
            spinUntil(finish);
        }));
        cleanups.add(() -> finish.set(true));
        awaitTrue(queued::get, "the item queued");
        CompletableFuture<Boolean> flushed = CompletableFuture.supplyAsync(() -> {
            wq.flush();
            return bDone.get();
        });
        waitMustNotHappen();
        assertTrue(!flushed.isDone(), "flush() returned while the item it waits for still ran");
        finish.set(true);
        assertTrue(flushed.get(MUST_HAPPEN_S, SECONDS), "flush() returned before the held item ran");
        assertTrue(held.get(), "the item was not held: this test exercises nothing");
    }

    /**
     * An unbound pool aiming at two workers: both run (so an item queued by one is held), then
     * the other's item ends: going idle, it must take the held item while the holder still runs.
     */
    @Test
    void anIdleWorkerTakesTheItemAnotherHolds() throws Exception {
        List<String> order = whileBothWorkersRun(false);
        assertEquals(List.of("held"), order);
    }

    /**
     * The same two running workers; the holder queues a second item, which lets the held one go
     * first: the other worker, its item ended, runs them in queueing order.
     */
    @Test
    void aSecondItemQueuedBehindAHeldOneRunsAfterIt() throws Exception {
        List<String> order = whileBothWorkersRun(true);
        assertEquals(List.of("held", "second"), order);
    }

    /**
     * On an unbound pool of two CPUs, item A waits (spinning) until item O runs beside it, then
     * queues the held item (and a second one if {@code second}), and spins until they have run;
     * O spins until A has queued, then ends, so that its worker takes what A queued while A
     * still runs. Returns the order they ran in, from the round that held the first item
     * (rounds repeat until one does, at most five: a worker found hogging holds nothing).
     */
    private List<String> whileBothWorkersRun(boolean second) throws Exception {
        assumeTrue(Cpus.count() >= 2, "needs an unbound pool of two CPUs");
        Workqueue wq = track(Workqueue.builder(second ? "held-order" : "held-steal").build());
        for (int round = 0; round < 5; round++) {
            AtomicBoolean held = new AtomicBoolean(), otherStarted = new AtomicBoolean(), queued = new AtomicBoolean();
            List<String> order = new CopyOnWriteArrayList<>();
            AtomicBoolean allRan = new AtomicBoolean();
            AtomicReference<String> holder = new AtomicReference<>();
            CountDownLatch aDone = new CountDownLatch(1);
            int r = round, expected = second ? 2 : 1;
            Work heldItem = new Work(() -> record(order, "held", holder, expected, allRan));
            Work secondItem = new Work(() -> record(order, "second", holder, expected, allRan));
            wq.queue(new Work(() -> {
                holder.set(Thread.currentThread().getName());
                if (!spinUntil(otherStarted)) {
                    problems.add("round " + r + ": the other item never started");
                }
                wq.queue(heldItem);
                held.set(holding());
                if (second) {
                    wq.queue(secondItem);
                }
                queued.set(true);
                if (!spinUntil(allRan)) {
                    problems.add("round " + r + ": what the holder queued did not run while it ran");
                }
                aDone.countDown();
            }));
            wq.queue(new Work(() -> {
                otherStarted.set(true);
                spinUntil(queued);
            }));
            await(aDone, "round " + round + ": the holder's end");
            assertNoProblems();
            if (held.get()) {
                return order;
            }
        }
        throw new AssertionError("no round held the item: this test exercised nothing");
    }

    /** An item queued by the holder runs: recorded, and it must not run on the holder. */
    private void record(List<String> order, String name, AtomicReference<String> holder, int expected, AtomicBoolean allRan) {
        if (Thread.currentThread().getName().equals(holder.get())) {
            problems.add(name + " ran on its holder, which was still running");
        }
        order.add(name);
        if (order.size() == expected) {
            allRan.set(true);
        }
    }

    /** Inside an item: waits by {@code wait}, noting {@code problem} if it gives up, then counts {@code done} down. */
    private void waitThenEnd(Callable<Boolean> wait, String problem, CountDownLatch done) {
        try {
            if (!wait.call()) {
                problems.add(problem);
            }
        } catch (Exception e) {
            problems.add(e.toString());
        }
        done.countDown();
    }
}
