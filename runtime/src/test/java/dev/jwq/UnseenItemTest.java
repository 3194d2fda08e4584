package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.spi.FreshWork;
import dev.jwq.spi.PendingWork;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An item {@code execute} makes for a task is kept without runningOn or a done count while the
 * engine alone holds it (Work, "Unseen items"). The two ways it leaves the engine must make it
 * an item like any other before anyone can use it: {@link Work#current()}, inside its task, and
 * the SPI's {@link PendingWork}. Each test uses the item the way only a seen item allows and
 * fails (or hangs, bounded) if the item were still kept as unseen: queued again from its own
 * run, it must not overlap itself; flushed while it runs or waits, the flush must return once
 * it ended.
 */
@Timeout(value = 60, unit = SECONDS)
class UnseenItemTest extends WorkqueueFixture {

    /** Runs {@code r} on a daemon thread; returns a latch opened when it returns. */
    private static CountDownLatch onThread(String name, Runnable r) {
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            r.run();
            done.countDown();
        }, name);
        t.setDaemon(true);
        t.start();
        return done;
    }

    @Test
    void anItemMadeByExecuteIsUnseenUntilItsTaskAsksForIt() throws Exception {
        Workqueue wq = track(Workqueue.builder("unseen-current").build());
        AtomicBoolean unseenBefore = new AtomicBoolean(), seenAfter = new AtomicBoolean(), running = new AtomicBoolean();
        CountDownLatch ran = new CountDownLatch(1);
        wq.execute(() -> {
            Work self = Worker.current().lpCurrentWork(); // the engine's look: nothing handed out
            unseenBefore.set(self.isUnseen());
            Work handedOut = Work.current();
            seenAfter.set(handedOut == self && !self.isUnseen());
            running.set(self.isRunning());
            ran.countDown();
        });
        await(ran, "the task's run");
        assertTrue(unseenBefore.get(), "an item made by execute() starts unseen: the test proves nothing");
        assertTrue(seenAfter.get(), "Work.current() hands the item out as an item like any other");
        assertTrue(running.get(), "handed out by Work.current(), the item says it runs");
    }

    /** A one-shot item an agent makes and queues by FreshWork is kept as execute()'s own: unseen until handed out. */
    @Test
    void anItemQueuedByFreshWorkIsUnseenUntilHandedOut() throws Exception {
        Workqueue wq = track(Workqueue.builder("unseen-fresh").build());
        AtomicBoolean unseenBefore = new AtomicBoolean(), seenAfter = new AtomicBoolean();
        CountDownLatch ran = new CountDownLatch(1);
        final class OneShot extends Work implements Runnable {
            @Override
            public void run() {
                unseenBefore.set(isUnseen());
                seenAfter.set(Work.current() == this && !isUnseen() && isRunning());
                ran.countDown();
            }
        }
        OneShot item = new OneShot();
        FreshWork.queue(wq, item);
        await(ran, "the item's run");
        assertTrue(unseenBefore.get(), "queued by FreshWork, the item starts unseen");
        assertTrue(seenAfter.get(), "handed out by Work.current(), an item like any other");
        // Seen in its run, its end is counted: a flush returns (true if it caught the end), then it is idle.
        await(onThread("unseen-fresh-flusher", item::flush), "flush's return after the item's end");
        assertFalse(item.flush(), "ended: idle");
        IllegalArgumentException used = assertThrows(IllegalArgumentException.class, () -> FreshWork.queue(wq, item));
        assertTrue(used.getMessage().contains("queued before"), used.getMessage());
        wq.shutdown();
        assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> FreshWork.queue(wq, new OneShot()));
    }

    /** A delayed item queued by FreshWork runs once, after its delay, unseen until handed out. */
    @Test
    void aDelayedItemQueuedByFreshWorkRunsOnceAfterItsDelayUnseen() throws Exception {
        Workqueue wq = track(Workqueue.builder("unseen-fresh-delayed").build());
        AtomicBoolean unseenBefore = new AtomicBoolean(), seenAfter = new AtomicBoolean();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(1);
        long t0 = System.nanoTime();
        AtomicLong startedAfter = new AtomicLong();
        DelayedWork item = new DelayedWork(() -> {
            startedAfter.set(System.nanoTime() - t0);
            Work self = Worker.current().lpCurrentWork();
            unseenBefore.set(self.isUnseen());
            seenAfter.set(Work.current() == self && !self.isUnseen() && self.isRunning());
            runs.incrementAndGet();
            ran.countDown();
        });
        FreshWork.queueDelayed(wq, item, java.time.Duration.ofMillis(20));
        await(ran, "the delayed item's run");
        assertTrue(startedAfter.get() >= java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20), "ran before its delay");
        assertTrue(unseenBefore.get(), "queued by FreshWork, the delayed item starts unseen");
        assertTrue(seenAfter.get(), "handed out by Work.current(), an item like any other");
        await(onThread("unseen-delayed-flusher", item::flush), "flush's return after the item's end");
        assertEquals(1, runs.get());
        assertThrows(IllegalArgumentException.class, () -> FreshWork.queueDelayed(wq, item, java.time.Duration.ZERO));
    }

    /**
     * Guarantee 2 for an item made by execute(): queued again from its own run (through
     * Work.current()), the next run starts only after this one returns, never beside it. The
     * pool has idle workers that would take the new instance at once if nothing said the item
     * still runs.
     */
    @RepeatedTest(5)
    void queuedAgainFromItsOwnRunItNeverOverlapsItself() throws Exception {
        Workqueue wq = track(Workqueue.builder("unseen-requeue").maxActive(8).build());
        AtomicInteger runs = new AtomicInteger(), inside = new AtomicInteger(), overlaps = new AtomicInteger();
        CountDownLatch secondStarted = new CountDownLatch(1), secondEnded = new CountDownLatch(1);
        AtomicReference<Boolean> requeued = new AtomicReference<>();
        wq.execute(() -> {
            if (inside.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                if (runs.incrementAndGet() == 1) {
                    requeued.set(wq.queue(Work.current()));
                    // The second run must wait for this one: watched for the must-not-happen time.
                    try {
                        if (secondStarted.await(MUST_NOT_HAPPEN_MS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                            overlaps.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else {
                    secondStarted.countDown();
                    secondEnded.countDown();
                }
            } finally {
                inside.decrementAndGet();
            }
        });
        await(secondEnded, "the second run");
        assertEquals(Boolean.TRUE, requeued.get(), "queue(Work.current()) from its run");
        assertEquals(0, overlaps.get(), "the item ran beside itself");
        assertEquals(2, runs.get());
    }

    /** Flushed by another thread while it runs, the item handed out by Work.current() is waited for, and only for. */
    @Test
    void flushedWhileItRunsTheFlushReturnsOnceItEnds() throws Exception {
        Workqueue wq = track(Workqueue.builder("unseen-flush").build());
        AtomicReference<Work> self = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1), release = gate();
        wq.execute(() -> {
            self.set(Work.current());
            started.countDown();
            block(release, "the running item");
        });
        await(started, "the item's start");
        AtomicBoolean flushed = new AtomicBoolean();
        CountDownLatch flushReturned = onThread("unseen-flusher", () -> flushed.set(self.get().flush()));
        assertNotWithin(flushReturned, "flush returned while the item still ran");
        release.countDown();
        await(flushReturned, "flush's return after the item ended (its done count)");
        assertTrue(flushed.get(), "flush of a running item returns true");
        assertFalse(self.get().flush(), "idle afterwards");
        assertNoProblems();
    }

    /**
     * Listed by PendingWork (what an agent moves or cancels), a waiting item made by execute()
     * is an item like any other: flushed, the flush returns once it ran.
     */
    @Test
    void listedPendingItIsKeptAsAnyItem() throws Exception {
        Workqueue wq = track(Workqueue.builder("unseen-pending").maxActive(1).build());
        CountDownLatch started = new CountDownLatch(1), release = gate();
        wq.execute(() -> {
            started.countDown();
            block(release, "the blocker");
        });
        await(started, "the blocker's start");
        CountDownLatch ran = new CountDownLatch(1);
        wq.execute(ran::countDown);
        var pending = PendingWork.of(wq);
        assertEquals(1, pending.size(), "the waiting item listed");
        Work waiting = pending.get(0).work();
        assertFalse(waiting.isUnseen(), "listed: handed out");
        AtomicBoolean flushed = new AtomicBoolean();
        CountDownLatch flushReturned = onThread("unseen-pending-flusher", () -> flushed.set(waiting.flush()));
        assertNotWithin(flushReturned, "flush returned before the waiting item ran");
        release.countDown();
        await(ran, "the waiting item's run");
        await(flushReturned, "flush's return after it ran");
        assertTrue(flushed.get());
        assertNoProblems();
    }
}
