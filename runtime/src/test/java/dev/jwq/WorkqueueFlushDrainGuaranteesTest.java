package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guarantees 6 and 7 of DESIGN §3a: flushing and draining a whole workqueue.
 *
 * <ol start="6">
 * <li>{@code Workqueue.flush()} returns once every item queued before the call has finished; items
 *     queued after it neither delay it nor are waited for.
 * <li>During {@code drain()}/{@code close()}, only chained queueing (from the workqueue's own
 *     items) is accepted; anything else is refused with {@link RejectedExecutionException};
 *     chained items queued during drain are run and waited for.
 * </ol>
 *
 * <p>"Queued after the call" and "during drain" are made certain by running flush, drain or close
 * on its own thread and observing that thread WAITING before queueing anything.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkqueueFlushDrainGuaranteesTest extends WorkqueueFixture {
    private Harness.Async<Void> flushOn(Workqueue wq, String name) {
        return h.async(name, () -> {
            wq.flush();
            return null;
        });
    }

    /* ------------------------------------------------------------------------------------------
     * 6. Workqueue.flush()
     * ------------------------------------------------------------------------------------------ */

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void flushReturnsOnlyOnceEveryItemQueuedBeforeItHasFinished(WorkqueueKind kind) throws Exception {
        final int items = 4;
        Workqueue wq = h.create(kind, "g6-before");
        int[] cpus = Harness.usableCpus();
        List<Harness.Step> runs = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            Harness.Script s = h.script();
            runs.add(s.held());
            assertTrue(wq.queueOn(cpus[i % cpus.length], new Work(s)));
        }

        Harness.Async<Void> flusher = flushOn(wq, "flush");
        flusher.awaitWaiting("Workqueue.flush with held items");
        for (int i = 0; i < items - 1; i++) {
            runs.get(i).release();
            runs.get(i).awaitFinished();
        }
        flusher.assertNotDoneWithin("Workqueue.flush while an item queued before it is held");
        runs.get(items - 1).release();
        flusher.get("Workqueue.flush");
        for (int i = 0; i < items; i++) {
            assertTrue(runs.get(i).hasFinished(), "item " + i + " queued before flush had not finished when it returned");
        }
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void itemsQueuedAfterFlushNeitherDelayItNorAreWaitedFor(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g6-after");
        int[] cpus = Harness.usableCpus();
        Harness.Step beforeRun = h.runHeld(wq).run;

        Harness.Async<Void> flusher = flushOn(wq, "flush");
        flusher.awaitWaiting("Workqueue.flush with a held item");
        List<Harness.Step> afterRuns = new ArrayList<>();
        for (int i = 0; i < cpus.length; i++) {
            Harness.Script after = h.script();
            afterRuns.add(after.held()); // held until flush has returned
            assertTrue(wq.queueOn(cpus[i], new Work(after)));
        }
        Harness.Script chained = h.script(); // queued by the before-item as it finishes: also after the call
        Harness.Step chainedRun = chained.held();
        beforeRun.then(() -> wq.queue(new Work(chained)));

        beforeRun.release();
        flusher.get("Workqueue.flush, with items queued after it still held");
        assertTrue(beforeRun.hasFinished());
        afterRuns.forEach(r -> assertFalse(r.hasFinished()));
        assertFalse(chainedRun.hasFinished());
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void flushReturnsWhileAnItemKeepsRequeueingItself(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g6-self");
        AtomicBoolean keepGoing = new AtomicBoolean(true);
        CountDownLatch tenRuns = new CountDownLatch(10);
        Work w = new Work(h.checked(() -> {
            tenRuns.countDown();
            if (keepGoing.get() && !wq.queue(Work.current())) {
                h.fail("re-queue from the running item returned false");
            }
        }));
        assertTrue(wq.queue(w));
        await(tenRuns, "ten runs");
        for (int i = 0; i < 20; i++) {
            h.call("Workqueue.flush " + i + " while an item keeps re-queueing itself", () -> {
                wq.flush();
                return null;
            });
        }
        keepGoing.set(false);
        h.flush(w);
    }

    /** More flushers than there are flush colors: the extra ones wait for a color, and all return. */
    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void moreConcurrentFlushesThanFlushColorsAllWaitThenAllReturn(WorkqueueKind kind) throws Exception {
        final int flushers = 20;
        Workqueue wq = h.create(kind, "g6-colors");
        Harness.Step run = h.runHeld(wq).run;

        List<Harness.Async<Void>> calls = new ArrayList<>();
        for (int i = 0; i < flushers; i++) {
            Harness.Async<Void> f = flushOn(wq, "flush-" + i);
            f.awaitWaiting("flush " + i);
            calls.add(f);
        }
        calls.get(0).assertNotDoneWithin("the first flush, while the item is held");
        for (Harness.Async<Void> f : calls) {
            assertFalse(f.thread.getState() == Thread.State.TERMINATED, f.thread.getName() + " returned with the item held");
        }
        run.release();
        for (int i = 0; i < flushers; i++) {
            calls.get(i).get("flush " + i);
        }
        assertTrue(run.hasFinished());
    }

    /**
     * A producer keeps queueing new items while two threads flush over and over (the 16 flush
     * colors wrap many times). Each flush must find finished every item whose queue() returned
     * before the flush was called.
     */
    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void everyFlushWaitsForWhatWasQueuedBeforeItUnderConcurrentQueueingAndFlushing(WorkqueueKind kind) throws Exception {
        final int flushesPerThread = 150, maxItems = 200_000, maxOutstanding = 64;
        Workqueue wq = h.create(kind, "g6-stress");
        int[] cpus = Harness.usableCpus();
        AtomicIntegerArray done = new AtomicIntegerArray(maxItems);
        AtomicInteger queuedUpTo = new AtomicInteger(-1);
        Semaphore outstanding = new Semaphore(maxOutstanding);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch producing = new CountDownLatch(1);
        Harness.Async<Void> producer = h.async("producer", () -> {
            for (int k = 0; k < maxItems && !stop.get(); k++) {
                acquire(outstanding, 1, "room for item " + k);
                int id = k;
                assertTrue(wq.queueOn(cpus[k % cpus.length], new Work(() -> {
                    done.set(id, 1);
                    outstanding.release();
                })));
                queuedUpTo.set(k);
                if (k == maxOutstanding) {
                    producing.countDown();
                }
            }
            return null;
        });
        List<Harness.Async<Void>> flushers = new ArrayList<>();
        for (int f = 0; f < 2; f++) {
            flushers.add(h.async("flusher-" + f, () -> {
                await(producing, "the producer to get going");
                int verified = 0;
                for (int i = 0; i < flushesPerThread; i++) {
                    int upTo = queuedUpTo.get();
                    wq.flush();
                    for (; verified <= upTo; verified++) {
                        assertEquals(1, done.get(verified), "item " + verified + " was queued before flush " + i + " but had not finished when it returned");
                    }
                }
                return null;
            }));
        }
        try {
            for (Harness.Async<Void> f : flushers) {
                f.get("flusher");
            }
        } finally {
            stop.set(true);
        }
        producer.get("producer");
    }

    /* ------------------------------------------------------------------------------------------
     * 7. drain() and close(): only chained queueing
     * ------------------------------------------------------------------------------------------ */

    /** Every way of queueing from outside, each of which must be refused and leave its item idle. */
    private void assertOutsideQueueingRefused(Workqueue wq, String during) {
        Harness.Script never = h.script(); // no step: a run fails the test
        Work x = new Work(never);
        DelayedWork dx = h.cancelAtEnd(new DelayedWork(never));
        assertThrows(RejectedExecutionException.class, () -> wq.queue(x), "queue " + during);
        for (int cpu : Harness.usableCpus()) {
            assertThrows(RejectedExecutionException.class, () -> wq.queueOn(cpu, x), "queueOn(" + cpu + ") " + during);
        }
        assertThrows(RejectedExecutionException.class, () -> wq.queueDelayed(dx, Duration.ZERO), "queueDelayed(ZERO) " + during);
        assertThrows(RejectedExecutionException.class, () -> wq.modDelayed(dx, Duration.ZERO), "modDelayed(ZERO) " + during);
        assertThrows(RejectedExecutionException.class, () -> wq.execute(() -> h.fail("refused task ran")), "execute " + during);
        assertThrows(RejectedExecutionException.class, () -> wq.submit(() -> 1), "submit " + during);
        assertFalse(x.isPending(), "a refused item was left pending");
        assertFalse(dx.isPending(), "a refused delayed item was left pending");
    }

    /** Queues {@code x} on {@code wq} from an item of {@code other}: not chained, so refused. */
    private void assertQueueingFromAnotherWorkqueueRefused(Workqueue wq, Workqueue other, String during) throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Work x = new Work(h.script()); // no step: a run fails the test
        assertTrue(other.queue(new Work(() -> {
            try {
                outcome.set(wq.queue(x));
            } catch (Throwable t) {
                outcome.set(t);
            }
            done.countDown();
        })));
        await(done, "the item of the other workqueue");
        assertInstanceOf(RejectedExecutionException.class, outcome.get(), "queue " + during + " from an item of another workqueue");
        assertFalse(x.isPending());
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void drainRefusesOutsideQueueingAndRunsAndWaitsForChainedItems(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g7-drain");
        Workqueue other = h.create(WorkqueueKind.UNBOUND, "g7-other");
        int[] cpus = Harness.usableCpus();
        List<Object> chaining = new CopyOnWriteArrayList<>();
        Harness.Script b = h.script(), c = h.script();
        Work wb = new Work(b), wc = new Work(c);
        Harness.Step runB = b.held().then(() -> chaining.add(wq.queueOn(cpus[cpus.length - 1], wc)));
        Harness.Step runC = c.next();
        Harness.Step runA = h.runHeld(wq).run.then(() -> chaining.add(wq.queue(wb)));

        Harness.Async<Void> drainer = h.async("drain", () -> {
            wq.drain();
            return null;
        });
        drainer.awaitWaiting("drain with a held item");
        assertOutsideQueueingRefused(wq, "during drain");
        assertQueueingFromAnotherWorkqueueRefused(wq, other, "during drain");

        runA.release(); // A queues B (chained), B is held
        runB.awaitStarted();
        drainer.assertNotDoneWithin("drain while a chained item is held");
        runB.release(); // B queues C (chained, on another CPU)
        drainer.get("drain");
        assertEquals(List.of(true, true), chaining, "chained queue() calls during drain");
        assertTrue(runC.hasFinished(), "drain returned before the chained item C ran");

        // Drained, the workqueue accepts outside queueing again.
        Harness.Script x = h.script();
        Harness.Step runX = x.next();
        assertTrue(wq.queue(new Work(x)), "queue after drain");
        runX.awaitFinished();
    }

    /** An outside delayed queueing during drain is queueing from outside too, whatever the delay. */
    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void drainRefusesOutsideDelayedQueueing(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g7-drain-delayed");
        Harness.Step runA = h.runHeld(wq).run;
        Harness.Async<Void> drainer = h.async("drain", () -> {
            wq.drain();
            return null;
        });
        drainer.awaitWaiting("drain with a held item");

        DelayedWork dx = h.cancelAtEnd(new DelayedWork(h.script()));
        Object outcome;
        try {
            outcome = wq.queueDelayed(dx, Duration.ofHours(1));
        } catch (RejectedExecutionException expected) {
            outcome = expected;
        }
        ScheduledFuture<?> f = null;
        try {
            f = wq.schedule(() -> h.fail("refused task ran"), 1, TimeUnit.HOURS);
        } catch (RejectedExecutionException expected) {
            // refused, as it should be
        } finally {
            if (f != null) {
                f.cancel(false);
            }
        }
        runA.release();
        drainer.get("drain");
        assertInstanceOf(RejectedExecutionException.class, outcome, "queueDelayed(1h) from outside during drain");
        assertFalse(dx.isPending());
        assertNull(f, "schedule(1h) from outside during drain was accepted");
    }

    /**
     * A refused modDelayed must leave the item as it was: an instance pending when drain began
     * still runs, and drain waits for it.
     */
    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void refusedModDelayedDuringDrainLeavesThePendingItemQueued(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g7-drain-mod");
        Harness.HeldRun<DelayedWork> previous = h.pendingBehindHeldRun(DelayedWork::new, wq::queue);
        DelayedWork d = previous.work;
        Harness.Step pending = previous.script.next();
        Harness.Async<Void> drainer = h.async("drain", () -> {
            wq.drain();
            return null;
        });
        drainer.awaitWaiting("drain with a held item");

        assertThrows(RejectedExecutionException.class, () -> wq.modDelayed(d, Duration.ZERO), "modDelayed from outside during drain");
        assertTrue(d.isPending(), "the refused modDelayed took the pending instance off its queue");
        previous.release();
        drainer.get("drain");
        assertTrue(pending.hasFinished(), "the instance pending when drain began had not run when drain returned");
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void drainWaitsForALongChainStartedBeforeIt(WorkqueueKind kind) throws Exception {
        final int links = 200;
        Workqueue wq = h.create(kind, "g7-chain");
        int[] cpus = Harness.usableCpus();
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch firstStarted = new CountDownLatch(1), firstGate = h.gate();
        Work[] chain = new Work[links];
        for (int i = 0; i < links; i++) {
            int link = i;
            chain[i] = new Work(h.checked(() -> {
                if (link == 0) {
                    firstStarted.countDown();
                    await(firstGate, "the first link's gate");
                }
                ran.incrementAndGet();
                if (link + 1 < links && !wq.queueOn(cpus[(link + 1) % cpus.length], chain[link + 1])) {
                    h.fail("chained queue of link " + (link + 1) + " returned false");
                }
            }));
        }
        assertTrue(wq.queue(chain[0]));
        await(firstStarted, "the first link");
        Harness.Async<Void> drainer = h.async("drain", () -> {
            wq.drain();
            return null;
        });
        drainer.awaitWaiting("drain with the first link held");
        firstGate.countDown();
        drainer.get("drain");
        assertEquals(links, ran.get(), "links run when drain returned");
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void closeRefusesOutsideQueueingAndRunsChainedItemsBeforeReturning(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g7-close");
        Workqueue other = h.create(WorkqueueKind.UNBOUND, "g7-close-other");
        List<Object> chaining = new CopyOnWriteArrayList<>();
        Harness.Script b = h.script();
        Work wb = new Work(b);
        Harness.Step runB = b.held();
        Harness.Step runA = h.runHeld(wq).run.then(() -> chaining.add(wq.queue(wb)));

        Harness.Async<Void> closer = h.async("close", () -> {
            wq.close();
            return null;
        });
        closer.awaitWaiting("close with a held item");
        assertOutsideQueueingRefused(wq, "during close");
        assertQueueingFromAnotherWorkqueueRefused(wq, other, "during close");

        runA.release(); // A queues B (chained), B is held
        runB.awaitStarted();
        closer.assertNotDoneWithin("close while a chained item is held");
        runB.release();
        closer.get("close");
        assertEquals(List.of(true), chaining, "chained queue() during close");
        assertTrue(runB.hasFinished(), "close returned before the chained item ran");
        assertTrue(wq.isTerminated());
        assertThrows(RejectedExecutionException.class, () -> wq.queue(new Work(() -> { })), "queue after close");
    }
}
