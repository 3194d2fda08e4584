package dev.jwq;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.timer.Timer;
import dev.jwq.timer.TimerWheel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guarantees 11 and 12 of DESIGN §3a: delayed work.
 *
 * <ol start="11">
 * <li>{@code queueDelayed} with zero delay queues at once; {@code modDelayed} on a pending item
 *     returns {@code true} and re-arms, on an idle one returns {@code false} and queues.
 * <li>{@code DelayedWork.flush()} with a pending timer runs the item now and waits.
 * </ol>
 *
 * <p>Delays that must not expire during a test are an hour long; every delayed item is
 * cancelled at the end so that closing its workqueue does not wait for it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DelayedWorkGuaranteesTest extends WorkqueueFixture {
    private static final Duration HOUR = Duration.ofHours(1);

    /* ------------------------------------------------------------------------------------------
     * 11. queueDelayed with zero delay; modDelayed
     * ------------------------------------------------------------------------------------------ */

    /**
     * "At once" is observed through {@code Workqueue.flush()}, which waits for every item queued
     * before it but knows nothing of timers: called right after {@code queueDelayed} returns, it
     * must find the item queued and wait for its run.
     */
    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void queueDelayedWithZeroOrNegativeDelayQueuesAtOnce(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g11-zero");
        int[] cpus = Harness.usableCpus();
        Harness.Script s = h.script();
        DelayedWork d = h.cancelAtEnd(new DelayedWork(s));
        List<String> ways = List.of("queueDelayed(ZERO)", "queueDelayed(-1s)", "queueDelayedOn(cpu, ZERO)");
        for (String way : ways) {
            Harness.Step run = s.next();
            boolean queued = switch (way) {
                case "queueDelayed(ZERO)" -> wq.queueDelayed(d, Duration.ZERO);
                case "queueDelayed(-1s)" -> wq.queueDelayed(d, Duration.ofSeconds(-1));
                default -> wq.queueDelayedOn(cpus[cpus.length - 1], d, Duration.ZERO);
            };
            assertTrue(queued, way);
            h.call("Workqueue.flush", () -> {
                wq.flush();
                return null;
            });
            assertTrue(run.hasFinished(), way + ": Workqueue.flush() right after it did not wait for the item, so it was not queued");
            h.flush(d);
        }
        s.assertNoFurtherRunWithin();
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void modDelayedOfAnArmedItemReturnsTrueAndRunsItOnceAfterTheNewDelay(WorkqueueKind kind) throws Exception {
        final Duration delay = Duration.ofMillis(50);
        Workqueue wq = h.create(kind, "g11-mod-armed");
        Harness.Script s = h.script();
        DelayedWork d = h.cancelAtEnd(new DelayedWork(s));
        Harness.Step run = s.next();
        assertTrue(wq.queueDelayed(d, HOUR));

        long t0 = System.nanoTime();
        assertTrue(wq.modDelayed(d, delay), "modDelayed of an armed item");
        assertTrue(d.isPending());
        run.awaitFinished();
        assertTrue(run.startedAt - t0 >= delay.toNanos(),
                "ran " + (run.startedAt - t0) / 1000 + " us after modDelayed(" + delay + ")");
        s.assertNoFurtherRunWithin();
        assertFalse(d.isPending(), "the hour-long timer is still armed after modDelayed re-armed it");
        assertEquals(1, s.runs());
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void modDelayedOfAnArmedItemToALongerDelayReplacesTheShortOne(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g11-mod-later");
        Harness.Script s = h.script(); // no step: any run fails
        DelayedWork d = h.cancelAtEnd(new DelayedWork(s));
        assertTrue(wq.queueDelayed(d, Duration.ofMillis(20)));
        assertTrue(wq.modDelayed(d, HOUR), "modDelayed of an armed item");
        // Well past the first deadline: the re-armed item must still wait for its hour.
        s.assertNoFurtherRunWithin();
        assertTrue(d.isPending());
        assertTrue(d.cancel(), "cancel of the re-armed item");
        assertEquals(0, s.runs());
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void modDelayedOfAnItemPendingOnAQueueReturnsTrueAndReArmsIt(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g11-mod-queued");
        // Queued (not armed) behind its held run.
        Harness.HeldRun<DelayedWork> previous = h.pendingBehindHeldRun(DelayedWork::new, wq::queue);
        DelayedWork d = previous.work;

        assertTrue(wq.modDelayed(d, HOUR), "modDelayed of an item pending on a queue");
        previous.release();
        previous.run.awaitFinished();
        previous.script.assertNoFurtherRunWithin();
        assertTrue(d.isPending(), "re-armed for an hour");
        assertTrue(d.cancel());
        assertEquals(1, previous.script.runs());
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void modDelayedOfAnIdleItemReturnsFalseAndQueuesIt(WorkqueueKind kind) throws Exception {
        final Duration delay = Duration.ofMillis(30);
        Workqueue wq = h.create(kind, "g11-mod-idle");
        Harness.Script s = h.script();
        DelayedWork d = h.cancelAtEnd(new DelayedWork(s));

        Harness.Step now = s.next();
        assertFalse(wq.modDelayed(d, Duration.ZERO), "modDelayed of an idle item");
        now.awaitFinished();

        Harness.Step later = s.next();
        h.flush(d);
        long t0 = System.nanoTime();
        assertFalse(wq.modDelayed(d, delay), "modDelayed of an idle item");
        assertTrue(d.isPending());
        later.awaitFinished();
        assertTrue(later.startedAt - t0 >= delay.toNanos(), "ran " + (later.startedAt - t0) / 1000 + " us after modDelayed(" + delay + ")");
        s.assertNoFurtherRunWithin();
    }

    /**
     * Two threads keep re-arming one item with short delays. Every {@code false} starts a new
     * pending instance and every {@code true} replaces the pending one, so the item runs exactly
     * as often as modDelayed returned false, and never twice at once.
     */
    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void concurrentModDelayedRunsTheItemOncePerIdleToPendingTransition(WorkqueueKind kind) throws Exception {
        final int calls = 300;
        Workqueue wq = h.create(kind, "g11-mod-race");
        AtomicInteger inside = new AtomicInteger(), overlaps = new AtomicInteger(), queuedNew = new AtomicInteger();
        Semaphore ran = new Semaphore(0);
        DelayedWork d = h.cancelAtEnd(new DelayedWork(() -> {
            if (inside.getAndIncrement() != 0) {
                overlaps.incrementAndGet();
            }
            inside.decrementAndGet();
            ran.release();
        }));
        CyclicBarrier start = new CyclicBarrier(2);
        List<Harness.Async<Void>> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            threads.add(h.async("mod-" + t, () -> {
                start.await(MUST_HAPPEN_S, SECONDS);
                for (int i = 0; i < calls; i++) {
                    Duration delay = i % 3 == 0 ? Duration.ZERO : Duration.ofNanos(200_000 * (i % 3));
                    if (!wq.modDelayed(d, delay)) {
                        queuedNew.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Harness.Async<Void> t : threads) {
            t.get("modDelayed caller");
        }
        acquire(ran, queuedNew.get(), queuedNew.get() + " runs");
        assertNotWithin(ran, "ran more often than modDelayed returned false");
        assertEquals(0, overlaps.get(), "runs that started while another was inside");
    }

    /* ------------------------------------------------------------------------------------------
     * 12. DelayedWork.flush() with a pending timer runs the item now and waits
     * ------------------------------------------------------------------------------------------ */

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void flushOfAnArmedItemRunsItNowAndWaits(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g12-armed");
        Harness.Script s = h.script();
        DelayedWork d = h.cancelAtEnd(new DelayedWork(s));
        Harness.Step run = s.held();
        assertTrue(wq.queueDelayed(d, HOUR));

        Harness.Async<Boolean> flusher = h.async("flush", d::flush);
        run.awaitStarted(); // an hour early: flush queued it
        flusher.awaitWaiting("flush of an armed item whose run is held");
        flusher.assertNotDoneWithin("flush while the run it started is held");
        run.release();
        assertTrue(flusher.get("flush"), "flush of an armed item waited");
        assertTrue(run.hasFinished(), "flush returned before the run finished");
        assertFalse(d.isPending(), "the timer is still armed after flush ran the item");
        s.assertNoFurtherRunWithin();
        assertFalse(h.flush(d), "flush of the now idle item");
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void flushOfADelayedItemPendingOnAQueueWaitsForIt(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g12-queued");
        assertFalse(h.flush(new DelayedWork(h.script())), "flush of an item never queued");
        Harness.HeldRun<DelayedWork> previous = h.pendingBehindHeldRun(DelayedWork::new, d -> wq.queueDelayed(d, Duration.ZERO));
        Harness.Step flushed = previous.script.next();

        Harness.Async<Boolean> flusher = h.async("flush", previous.work::flush);
        flusher.awaitWaiting("flush of a queued delayed item");
        flusher.assertNotDoneWithin("flush of a queued delayed item");
        previous.release();
        assertTrue(flusher.get("flush"));
        assertTrue(flushed.hasFinished(), "flush returned before the instance it was called for finished");
    }

    /**
     * The timer has fired but the timer thread has not yet put the item on a pool: it is held
     * in the batch that fired the item's timer, before the item's callback, by a timer of the
     * test's own that waits for a pool lock the test holds ({@link #fireBehindABlocker}). The
     * item is pending all along, so flush must wait for its run (held, so that "waited" is
     * certain), not return at once because nothing has reached a queue yet.
     *
     * <p>The test once found the timer thread queued on the pool lock without a blocker: that
     * was the watchdog's check, which now only tries pool locks, and the item's own queueing
     * takes none on most kinds.
     */
    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void flushOfAnItemWhoseTimerIsFiringWaitsForTheRun(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g12-firing");
        Harness.Script s = h.script();
        DelayedWork d = h.cancelAtEnd(new DelayedWork(s));
        Harness.Step run = s.held();
        // A per-CPU workqueue makes a CPU's pwq when it first queues there: hold every CPU's pool.
        List<ReentrantLock> poolLocks = (wq.unbound ? wq.pwqs().stream().map(q -> q.pool)
                : java.util.stream.IntStream.range(0, Cpus.count()).mapToObj(i -> Pools.bound(i, wq.flags().contains(WqFlag.HIGHPRI))))
                .map(pool -> (ReentrantLock) pool.lock).distinct().toList();
        Harness.Async<Boolean> flusher;
        poolLocks.forEach(ReentrantLock::lock);
        try {
            fireBehindABlocker(wq, d, poolLocks.get(0));
            Thread timerThread = Harness.threadNamed("jwq/timer");
            awaitQueuedOnOneOf(poolLocks, timerThread);
            assertTrue(d.timer().isFiring(), "the item's timer fired in the blocked batch");
            assertTrue(d.isPending());
            flusher = h.async("flush", d::flush);
            flusher.assertNotDoneWithin("flush of a pending item whose timer is firing");
        } finally {
            poolLocks.forEach(ReentrantLock::unlock);
        }
        run.awaitStarted();
        flusher.assertNotDoneWithin("flush while the run of the fired item is held");
        run.release();
        assertTrue(flusher.get("flush"), "flush of a pending item waited");
        assertTrue(run.hasFinished(), "flush returned before the item ran");
    }

    /**
     * Queues {@code d} delayed so that the timer thread fires its timer (marks it firing) and
     * then stops before its callback: with the wheel's lock held, it arms a blocker (a timer
     * that takes {@code poolLock}, which the caller holds), then queues {@code d} delayed by as
     * much, then lets the clock pass both expiries before letting the wheel go. The wheel thread
     * then collects both in one pass, in expiry order and, within a tick, in arming order
     * (a slot's list is FIFO), marks both firing and runs the blocker first.
     */
    private static void fireBehindABlocker(Workqueue wq, DelayedWork d, ReentrantLock poolLock) throws Exception {
        TimerWheel wheel = TimerWheel.shared();
        ReentrantLock wheelLock = WheelProbe.lock();
        Timer blocker = new Timer() {
            @Override
            protected void expire() {
                poolLock.lock();
                poolLock.unlock();
            }
        };
        wheelLock.lock();
        try {
            assertTrue(wheel.arm(blocker, MILLISECONDS.toNanos(1)));
            assertTrue(wq.queueDelayed(d, Duration.ofMillis(1)));
            // Both expiries (a tick or two away) behind us before the wheel thread looks again.
            long past = System.nanoTime() + MILLISECONDS.toNanos(20);
            while (System.nanoTime() - past < 0) {
                Thread.onSpinWait();
            }
        } finally {
            wheelLock.unlock();
        }
    }

    /** Waits until {@code t} is queued to acquire one of {@code locks} (a fact ReentrantLock reports). */
    private static void awaitQueuedOnOneOf(List<ReentrantLock> locks, Thread t) {
        long deadline = System.nanoTime() + SECONDS.toNanos(MUST_HAPPEN_S);
        while (locks.stream().noneMatch(l -> l.hasQueuedThread(t))) {
            assertTrue(System.nanoTime() - deadline < 0, "the timer thread never reached the pool lock; it is " + t.getState()
                    + " at " + Arrays.toString(t.getStackTrace()));
            Thread.yield();
        }
    }
}
