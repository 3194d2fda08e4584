package dev.jwq.agent.boot;

import static dev.jwq.agent.boot.ThreadPoolExecutorCompatibilityTest.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.spi.PendingWork;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A rewritten ThreadPoolExecutor's termination follows its workqueue's, which is shut down with
 * it, and nothing is counted per task for it (JwqThreadPoolExecutor, "Lifecycle"): what that
 * must keep. Blocking tasks wait on latches the test releases; races start from barriers and
 * repeat.
 */
class RewrittenTerminationTest extends RewrittenPoolFixture {

    private JwqThreadPoolExecutor pool(int core) {
        return track(new JwqThreadPoolExecutor(core, core, 10, SECONDS, new LinkedBlockingQueue<>(), "Term.test:1"));
    }

    private Runnable blocker(CountDownLatch started) {
        return () -> {
            started.countDown();
            await(release);
        };
    }

    /**
     * terminated() runs once the last task has ended, though nobody waits for the termination
     * or asks about it: the workqueue's termination reaches the executor by itself.
     */
    @Test
    void terminatedRunsWithNobodyWaiting() {
        CountDownLatch terminated = new CountDownLatch(1);
        AtomicInteger ranBefore = new AtomicInteger(-1);
        AtomicInteger ran = new AtomicInteger();
        JwqThreadPoolExecutor p = new JwqThreadPoolExecutor(1, 1, 10, SECONDS, new LinkedBlockingQueue<>(), "Term.test:1") {
            @Override
            protected void terminated() {
                ranBefore.set(ran.get());
                terminated.countDown();
            }
        };
        track(p);
        CountDownLatch started = new CountDownLatch(1);
        p.execute(blocker(started));
        await(started);
        for (int i = 0; i < 3; i++) {
            p.execute(ran::incrementAndGet);
        }
        p.shutdown();
        release.countDown();
        await(terminated);
        assertEquals(3, ranBefore.get(), "terminated() before every queued task ran");
    }

    /**
     * Once its workqueue has terminated, a shut-down executor has no threads, though the
     * workqueue's termination action (within about a tick, on a system worker) has not reached it
     * yet: getPoolSize() finishes the termination first, as isTerminated() does. The workqueue's
     * own awaitTermination returns before that action runs in nearly every round: without the
     * check in getPoolSize, it said 1. isTerminating(), asked the same way, must say false (the
     * JDK's pool is past TIDYING once it has no threads).
     */
    @Test
    void poolSizeIsZeroOnceTheWorkqueueHasTerminated() throws Exception {
        for (int round = 0; round < 50; round++) {
            JwqThreadPoolExecutor p = shutDownWithItsWorkqueueTerminated();
            assertEquals(0, p.getPoolSize(), "round " + round);
            assertTrue(p.isTerminated(), "round " + round);
        }
    }

    @Test
    void notTerminatingOnceTheWorkqueueHasTerminated() throws Exception {
        for (int round = 0; round < 50; round++) {
            JwqThreadPoolExecutor p = shutDownWithItsWorkqueueTerminated();
            assertFalse(p.isTerminating(), "round " + round);
            assertTrue(p.isTerminated(), "round " + round);
        }
    }

    /** A pool that ran a task and was shut down, returned once its workqueue terminated (nothing asked the pool meanwhile). */
    private JwqThreadPoolExecutor shutDownWithItsWorkqueueTerminated() throws InterruptedException {
        JwqThreadPoolExecutor p = pool(1);
        p.execute(() -> { });
        p.shutdown();
        assertTrue(p.workqueue().awaitTermination(30, SECONDS), "the workqueue terminated");
        return p;
    }

    /**
     * Shut down before anything looked at its queue, a direct executor keeps its waiting tasks
     * on the workqueue (no runner could start from outside any more): remove and purge reach
     * them there, and what they take never runs.
     */
    @Test
    void removeAndPurgeAfterShutdownReachTasksWaitingOnTheWorkqueue() throws Exception {
        JwqThreadPoolExecutor p = pool(1);
        CountDownLatch started = new CountDownLatch(1);
        p.execute(blocker(started));
        await(started);
        AtomicInteger ran = new AtomicInteger();
        Runnable removed = ran::incrementAndGet;
        Runnable kept = ran::incrementAndGet;
        FutureTask<Void> cancelled = new FutureTask<>(ran::incrementAndGet, null);
        p.execute(removed);
        p.execute(cancelled);
        p.execute(kept);
        p.shutdown();
        assertTrue(p.remove(removed));
        assertFalse(p.remove(removed), "taken once");
        cancelled.cancel(false);
        p.purge();
        assertEquals(1, PendingWork.of(p.workqueue()).size(), "only the kept task waits");
        release.countDown();
        assertTrue(p.awaitTermination(LONG, SECONDS));
        assertEquals(1, ran.get(), "the removed and the purged task never ran");
        assertEquals(2, p.getCompletedTaskCount());
    }

    /**
     * shutdown() racing the switch to the caller's queue (getQueue()): every task accepted runs
     * and the executor terminates, whichever side of the switch the shutdown lands. A blocker
     * holds the only slot so that the tasks wait; a barrier starts both sides together; 200
     * rounds. End to end only: a switch that moved the tasks after the workqueue stopped taking
     * runners from outside is mostly rescued by the blocker, whose end starts a runner from
     * inside; {@code switchLock} closes the narrow rest of that window (the blocker ending
     * between the switch's moves), which these rounds do not force.
     */
    @Test
    void shutdownRacingTheSwitchLosesNoTask() throws Exception {
        for (int round = 0; round < 200; round++) {
            CountDownLatch hold = new CountDownLatch(1);
            Waiting w = twentyWaitingBehind(hold);
            raceTheSwitch(w.pool, w.pool::shutdown);
            hold.countDown();
            assertTrue(w.pool.awaitTermination(LONG, SECONDS), "round " + round + ": " + w.pool);
            assertEquals(20, w.ran.get(), "round " + round);
        }
    }

    /**
     * shutdownNow() racing the switch: each task either ran or was returned, none lost; 200
     * rounds, end to end as above (a task moved between shutdownNow's look at the queue and
     * its return would be lost: {@code switchLock} keeps the switch out of that window, which
     * these rounds do not force).
     */
    @Test
    void shutdownNowRacingTheSwitchRunsOrReturnsEveryTask() throws Exception {
        for (int round = 0; round < 200; round++) {
            Waiting w = twentyWaitingBehind(new CountDownLatch(1)); // until shutdownNow interrupts the blocker
            List<List<Runnable>> never = new ArrayList<>();
            raceTheSwitch(w.pool, () -> never.add(w.pool.shutdownNow()));
            assertTrue(w.pool.awaitTermination(LONG, SECONDS), "round " + round + ": " + w.pool);
            int returned = never.get(0).size();
            assertEquals(20, w.ran.get() + returned, "round " + round + ": ran " + w.ran.get() + ", returned " + returned);
        }
    }

    /** A pool of one, its slot held by a blocker until {@code hold} opens (or it is interrupted), and the tasks counting {@code ran} waiting behind it. */
    private record Waiting(JwqThreadPoolExecutor pool, AtomicInteger ran) {}

    private Waiting twentyWaitingBehind(CountDownLatch hold) {
        CountDownLatch held = new CountDownLatch(1);
        JwqThreadPoolExecutor p = pool(1);
        p.execute(() -> {
            held.countDown();
            try {
                hold.await(LONG, SECONDS);
            } catch (InterruptedException e) {
                // stopped by shutdownNow
            }
        });
        await(held);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            p.execute(ran::incrementAndGet);
        }
        return new Waiting(p, ran);
    }

    /** Runs {@code action} here while another thread looks at {@code p}'s queue (the switch), both released by a barrier. */
    private static void raceTheSwitch(JwqThreadPoolExecutor p, Runnable action) throws InterruptedException {
        CyclicBarrier go = new CyclicBarrier(2);
        Thread looker = new Thread(() -> {
            awaitBarrier(go);
            p.getQueue();
        });
        looker.start();
        awaitBarrier(go);
        action.run();
        looker.join();
    }

    /** What terminated() throws when a caller of isTerminated finishes the termination goes to that thread's handler, not to the caller. */
    @Test
    void aFailingTerminatedHookIsReportedNotThrownToTheCaller() throws Exception {
        RuntimeException boom = new RuntimeException("boom");
        JwqThreadPoolExecutor p = new JwqThreadPoolExecutor(1, 1, 10, SECONDS, new LinkedBlockingQueue<>(), "Term.test:1") {
            @Override
            protected void terminated() {
                throw boom;
            }
        };
        track(p);
        AtomicReference<Throwable> reported = new AtomicReference<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> reported.compareAndSet(null, e));
        try {
            p.execute(() -> { });
            p.shutdown();
            assertTrue(p.awaitTermination(LONG, SECONDS));
            assertTrue(p.isTerminated());
            ThreadPoolExecutorCompatibilityTest.eventually(() -> reported.get() != null, "the hook's exception reported");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertEquals(boom, reported.get());
    }

    private static void awaitBarrier(CyclicBarrier b) {
        try {
            b.await(LONG, SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
