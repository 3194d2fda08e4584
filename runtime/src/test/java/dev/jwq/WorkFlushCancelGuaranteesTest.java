package dev.jwq;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guarantees 5, 8, 9 and 10 of DESIGN §3a: flushing, cancelling and disabling one work item.
 *
 * <ol start="5">
 * <li>{@code flush()} of an idle item returns {@code false} at once; of a pending or running one
 *     it waits for that instance and returns {@code true}.
 * </ol>
 * <ol start="8">
 * <li>{@code cancel()} of a pending item returns {@code true} and it never runs; of a running one
 *     returns {@code false} without waiting.
 * <li>{@code cancelSync()} waits for a running instance; {@code queue} attempts during it return
 *     {@code false}; afterwards the item can be queued again.
 * <li>{@code disable()} k times: {@code queue} returns {@code false} until the k-th
 *     {@code enable()}, which alone returns {@code true}; {@code enable()} never queues.
 * </ol>
 *
 * <p>An item is kept pending for as long as a test needs by holding its previous run inside the
 * function: a new instance cannot start until that run returns (guarantee 2). A caller that must
 * be "already waiting" is run on its own thread and observed WAITING before the test goes on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkFlushCancelGuaranteesTest extends WorkqueueFixture {
    /* ------------------------------------------------------------------------------------------
     * 5. Work.flush()
     * ------------------------------------------------------------------------------------------ */

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void flushOfAnIdleItemReturnsFalseAtOnce(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g5-idle");
        Harness.Script s = h.script();
        Work w = new Work(s);
        assertFalse(h.flush(w), "flush of an item never queued");

        Harness.Step run = s.next();
        assertTrue(wq.queue(w));
        run.awaitFinished();
        h.flush(w); // true or false: the run may still be finishing its bookkeeping
        assertFalse(h.flush(w), "flush of an item whose run has finished");

        // Another item of the same workqueue is held running: the idle item's flush must not
        // wait for it (bounded: a flush that waited would time out).
        Harness.HeldRun<Work> busy = h.runHeld(wq);
        assertFalse(h.flush(w), "flush of an idle item while another item of its workqueue runs");
        assertFalse(busy.run.hasFinished());
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void flushOfARunningItemWaitsForThatRun(WorkqueueKind kind) throws Exception {
        Harness.HeldRun<Work> held = h.runHeld(h.create(kind, "g5-running"));

        Harness.Async<Boolean> flusher = h.async("flush", held.work::flush);
        flusher.awaitWaiting("flush of a running item");
        flusher.assertNotDoneWithin("flush of a running item");
        held.release();
        assertTrue(flusher.get("flush"), "flush of a running item waited");
        assertTrue(held.run.hasFinished(), "flush returned before the run finished");
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void flushOfAPendingItemWaitsForThatInstanceOnly(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g5-pending");
        Harness.HeldRun<Work> previous = h.pendingBehindHeldRun(wq);
        Harness.Script s = previous.script;
        Work w = previous.work;
        Harness.Step flushed = s.held(), later = s.held();

        Harness.Async<Boolean> flusher = h.async("flush", w::flush);
        flusher.awaitWaiting("flush of a pending item");
        flusher.assertNotDoneWithin("flush of a pending item");

        previous.release();
        flushed.awaitStarted();
        assertTrue(wq.queue(w)); // a later instance, queued once the flushed one runs
        flusher.assertNotDoneWithin("flush while the flushed instance runs");

        flushed.release();
        assertTrue(flusher.get("flush"), "flush of a pending item waited");
        assertTrue(flushed.hasFinished(), "flush returned before the instance it was called for finished");
        assertFalse(later.hasFinished(), "the later instance is still held: flush did not wait for it");
        later.release();
        later.awaitFinished();
        s.assertNoFurtherRunWithin();
    }

    /**
     * The running instance is flushed; meanwhile a later instance is queued and cancelled. Taking
     * the later one off must not count as the running one finishing.
     */
    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void flushOfARunningItemIsNotCutShortByCancellingALaterInstance(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g5-cancel-later");
        Harness.HeldRun<Work> held = h.runHeld(wq);

        Harness.Async<Boolean> flusher = h.async("flush", held.work::flush);
        flusher.awaitWaiting("flush of a running item");
        assertTrue(wq.queue(held.work));
        assertTrue(held.work.cancel(), "cancel of the pending later instance");
        flusher.assertNotDoneWithin("flush of an item whose run is still held");

        held.release();
        assertTrue(flusher.get("flush"));
        assertTrue(held.run.hasFinished(), "flush returned before the run finished");
        held.script.assertNoFurtherRunWithin();
    }

    /* ------------------------------------------------------------------------------------------
     * 8. cancel()
     * ------------------------------------------------------------------------------------------ */

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void cancelOfAPendingItemReturnsTrueAndItNeverRuns(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g8-pending");
        Harness.HeldRun<Work> previous = h.pendingBehindHeldRun(wq);
        Harness.Script s = previous.script;
        Work w = previous.work;

        assertTrue(w.cancel(), "cancel of a pending item");
        assertFalse(w.isPending());
        assertFalse(w.cancel(), "second cancel: nothing is pending any more");
        previous.release();
        previous.run.awaitFinished();
        s.assertNoFurtherRunWithin();
        assertEquals(1, s.runs());

        // Nothing leaked: the workqueue still runs items, and the item can be queued again.
        Harness.Script other = h.script();
        Harness.Step otherRun = other.next();
        assertTrue(wq.queue(new Work(other)));
        otherRun.awaitFinished();
        Harness.Step again = s.next();
        assertTrue(wq.queue(w));
        again.awaitFinished();
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void cancelOfARunningItemReturnsFalseWithoutWaiting(WorkqueueKind kind) throws Exception {
        Harness.HeldRun<Work> held = h.runHeld(h.create(kind, "g8-running"));

        // Bounded: a cancel that waited for the held run would time out here.
        assertFalse(h.call("cancel of a running item", held.work::cancel), "cancel of a running, not pending item");
        assertFalse(held.run.hasFinished());
        assertTrue(held.work.isRunning());
        assertFalse(held.work.isPending());
        held.release();
        held.run.awaitFinished();
        held.script.assertNoFurtherRunWithin();
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void cancelRacingWithAWorkerTakingTheItemEitherCancelsItOrLetsItRun(WorkqueueKind kind) throws Exception {
        final int iterations = 1000;
        Workqueue wq = h.create(kind, "g8-race");
        AtomicInteger runs = new AtomicInteger();
        Work w = new Work(runs::incrementAndGet);
        int cancelled = 0;
        for (int i = 0; i < iterations; i++) {
            assertTrue(wq.queue(w), "queue " + i + ": after a cancel the item is never left pending");
            if (w.cancel()) {
                cancelled++;
            }
        }
        h.flush(w);
        assertEquals(iterations - cancelled, runs.get(), "runs vs queued-and-not-cancelled (" + cancelled + " cancelled)");
    }

    /* ------------------------------------------------------------------------------------------
     * 9. cancelSync()
     * ------------------------------------------------------------------------------------------ */

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void cancelSyncWaitsForTheRunningInstanceAndRefusesQueueingMeanwhile(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g9-running");
        Harness.HeldRun<Work> held = h.runHeld(wq);
        Work w = held.work;

        Harness.Async<Boolean> canceller = h.async("cancelSync", w::cancelSync);
        canceller.awaitWaiting("cancelSync of a running item");
        assertFalse(wq.queue(w), "queue during cancelSync");
        for (int cpu : Harness.usableCpus()) {
            assertFalse(wq.queueOn(cpu, w), "queueOn(" + cpu + ") during cancelSync");
        }
        assertFalse(h.call("queue from another thread", () -> wq.queue(w)), "queue from another thread during cancelSync");
        assertFalse(w.isPending());
        canceller.assertNotDoneWithin("cancelSync of a running item");

        held.release();
        assertFalse(canceller.get("cancelSync"), "cancelSync of an item that was running, not pending");
        assertTrue(held.run.hasFinished(), "cancelSync returned before the run finished");
        held.script.assertNoFurtherRunWithin();

        Harness.Step again = held.script.next();
        assertTrue(wq.queue(w), "queue after cancelSync");
        again.awaitFinished();
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void cancelSyncOfAPendingItemReturnsTrueAndItNeverRuns(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g9-pending");
        Harness.HeldRun<Work> previous = h.pendingBehindHeldRun(wq);
        Harness.Script s = previous.script;
        Work w = previous.work;

        Harness.Async<Boolean> canceller = h.async("cancelSync", w::cancelSync);
        canceller.awaitWaiting("cancelSync of a pending item behind a running one");
        assertFalse(w.isPending());
        assertFalse(wq.queue(w), "queue during cancelSync");
        previous.release();
        assertTrue(canceller.get("cancelSync"), "cancelSync of a pending item");
        assertTrue(previous.run.hasFinished());
        s.assertNoFurtherRunWithin();
        assertEquals(1, s.runs());

        Harness.Step again = s.next();
        assertTrue(wq.queue(w), "queue after cancelSync");
        again.awaitFinished();
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void cancelSyncStopsAnItemThatKeepsRequeueingItself(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g9-self");
        AtomicBoolean keepGoing = new AtomicBoolean(true), cancelReturned = new AtomicBoolean();
        AtomicInteger inside = new AtomicInteger(), runs = new AtomicInteger();
        CountDownLatch tenRuns = new CountDownLatch(10), ranAfterCancel = new CountDownLatch(1);
        Work w = new Work(h.checked(() -> {
            if (inside.getAndIncrement() != 0) {
                h.fail("two runs at once");
            }
            if (cancelReturned.get()) {
                ranAfterCancel.countDown();
            }
            runs.incrementAndGet();
            tenRuns.countDown();
            if (keepGoing.get()) {
                wq.queue(Work.current()); // false once cancelSync has begun
            }
            inside.decrementAndGet();
        }));
        assertTrue(wq.queue(w));
        await(tenRuns, "ten runs");

        h.call("cancelSync", w::cancelSync);
        cancelReturned.set(true);
        assertFalse(w.isPending(), "pending after cancelSync");
        assertFalse(w.isRunning(), "running after cancelSync");
        assertNotWithin(ranAfterCancel, "the item ran after cancelSync returned");

        keepGoing.set(false);
        int before = runs.get();
        assertTrue(wq.queue(w), "queue after cancelSync");
        h.flush(w);
        assertEquals(before + 1, runs.get());
    }

    /* ------------------------------------------------------------------------------------------
     * 10. disable() / enable()
     * ------------------------------------------------------------------------------------------ */

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void disabledKTimesTheItemQueuesAgainOnlyAfterTheKthEnableWhichNeverQueues(WorkqueueKind kind) throws Exception {
        final int k = 3;
        Workqueue wq = h.create(kind, "g10-depth");
        int[] cpus = Harness.usableCpus();
        Harness.Script s = h.script();
        Work w = new Work(s);
        for (int i = 0; i < k; i++) {
            assertFalse(w.disable(), "disable of an idle item: it was not pending");
        }
        for (int i = 1; i <= k; i++) {
            assertFalse(wq.queue(w), "queue with " + (k - i + 1) + " disables outstanding");
            assertFalse(wq.queueOn(cpus[i % cpus.length], w), "queueOn with " + (k - i + 1) + " disables outstanding");
            assertFalse(w.isPending());
            assertEquals(i == k, w.enable(), "enable " + i + " of " + k);
        }
        assertFalse(w.isPending(), "enable() queued the item");
        s.assertNoFurtherRunWithin();

        Harness.Step run = s.next();
        assertTrue(wq.queue(w), "queue after the k-th enable");
        run.awaitFinished();
        s.assertNoFurtherRunWithin();
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void disableOfAPendingItemCancelsItAndEnableDoesNotQueueItBack(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g10-pending");
        Harness.HeldRun<Work> previous = h.pendingBehindHeldRun(wq);
        Harness.Script s = previous.script;
        Work w = previous.work;

        assertTrue(w.disable(), "disable of a pending item");
        assertFalse(w.isPending());
        assertFalse(w.disable(), "second disable: nothing pending");
        assertFalse(w.enable(), "first of two enables");
        previous.release();
        previous.run.awaitFinished();
        assertFalse(wq.queue(w), "queue while still disabled once");
        assertTrue(w.enable(), "second of two enables");
        assertFalse(w.isPending(), "enable() queued the item");
        s.assertNoFurtherRunWithin();
        assertEquals(1, s.runs());

        Harness.Step again = s.next();
        assertTrue(wq.queue(w));
        again.awaitFinished();
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void enableOfAnItemThatIsNotDisabledThrows(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g10-unbalanced");
        Harness.Script s = h.script();
        Work w = new Work(s);
        assertThrows(IllegalStateException.class, w::enable, "enable of a fresh item");
        assertFalse(w.disable());
        assertTrue(w.enable());
        assertThrows(IllegalStateException.class, w::enable, "enable after a balanced disable/enable");

        Harness.Step run = s.next();
        assertTrue(wq.queue(w), "queue after the refused enable");
        run.awaitFinished();
        s.assertNoFurtherRunWithin();
    }

    /** The refused {@code enable()} must leave a pending item pending: it is an error, not a cancel. */
    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void refusedEnableOfAPendingItemLeavesItQueued(WorkqueueKind kind) throws Exception {
        Harness.HeldRun<Work> previous = h.pendingBehindHeldRun(h.create(kind, "g10-unbalanced-pending"));
        Harness.Step pending = previous.script.next();

        assertThrows(IllegalStateException.class, previous.work::enable, "enable of a pending item that is not disabled");
        assertTrue(previous.work.isPending(), "the refused enable took the pending item off its queue");
        previous.release();
        pending.awaitFinished();
        previous.script.assertNoFurtherRunWithin();
    }
}
