package dev.jwq.agent.boot;

import static dev.jwq.agent.boot.ThreadPoolExecutorCompatibilityTest.await;
import static dev.jwq.agent.boot.ThreadPoolExecutorCompatibilityTest.eventually;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The behaviours the JSR-166 TCK's ScheduledExecutorTest checks that matter for a rewritten
 * executor, run against {@link JwqScheduledThreadPoolExecutor} in this JVM.
 */
class ScheduledExecutorCompatibilityTest extends RewrittenPoolFixture {

    private JwqScheduledThreadPoolExecutor pool(int core) {
        return track(new JwqScheduledThreadPoolExecutor(core, "Compat.scheduled:1"));
    }

    @Test
    void aDelayedTaskRunsNoSoonerThanItsDelayOnAJwqWorker() throws Exception {
        JwqScheduledThreadPoolExecutor p = pool(1);
        long start = System.nanoTime();
        ScheduledFuture<String> f = p.schedule(() -> Thread.currentThread().getName(), 50, MILLISECONDS);
        assertTrue(f.getDelay(MILLISECONDS) <= 50);
        assertTrue(f.get(LONG, SECONDS).matches(".+@jwq/u.*"), f.get());
        assertTrue(System.nanoTime() - start >= MILLISECONDS.toNanos(50));
        // get() returns when the task's result is set, a moment before the worker counts it (as in the JDK)
        eventually(() -> p.getCompletedTaskCount() == 1, "the task counted as completed");
    }

    /**
     * Once awaitTermination has returned true the counts are exact, as in the JDK: every task
     * counted once, none active, although a task's item runs on for an instant after the task
     * was counted completed (repeated: that instant is short).
     */
    @Test
    void aTerminatedPoolCountsEachTaskOnceAndNoneActive() throws Exception {
        for (int round = 0; round < 200; round++) {
            JwqScheduledThreadPoolExecutor p = pool(2);
            for (int i = 0; i < 50; i++) {
                p.execute(() -> { });
            }
            p.shutdown();
            assertTrue(p.awaitTermination(LONG, SECONDS));
            long tasks = p.getTaskCount();
            int active = p.getActiveCount();
            assertEquals(50, tasks, "task count after termination, round " + round);
            assertEquals(0, active, "active count after termination, round " + round);
        }
    }

    @Test
    void argumentsAreCheckedAsTheJdkDoes() {
        JwqScheduledThreadPoolExecutor p = pool(1);
        assertThrows(IllegalArgumentException.class, () -> new JwqScheduledThreadPoolExecutor(-1, "s"));
        assertThrows(NullPointerException.class, () -> p.execute(null));
        assertThrows(NullPointerException.class, () -> p.schedule((Runnable) null, 1, SECONDS));
        assertThrows(NullPointerException.class, () -> p.schedule(() -> { }, 1, null));
        assertThrows(IllegalArgumentException.class, () -> p.scheduleAtFixedRate(() -> { }, 1, 0, SECONDS));
        assertThrows(IllegalArgumentException.class, () -> p.scheduleWithFixedDelay(() -> { }, 1, -1, SECONDS));
    }

    @Test
    void executeAndSubmitRunAtOnceInOrderWithOneCoreThread() throws Exception {
        JwqScheduledThreadPoolExecutor p = pool(1);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 20; i++) {
            int n = i;
            p.execute(() -> order.add(n));
        }
        assertEquals("x", p.submit(() -> "x").get(LONG, SECONDS));
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
    }

    @Test
    void fixedRateAndFixedDelayTasksRepeatUntilCancelled() throws Exception {
        for (boolean rate : new boolean[] {true, false}) {
            JwqScheduledThreadPoolExecutor p = pool(1);
            AtomicInteger runs = new AtomicInteger();
            AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
            CountDownLatch registered = new CountDownLatch(1);
            CountDownLatch third = new CountDownLatch(1);
            Runnable body = () -> {
                await(registered);
                if (runs.incrementAndGet() == 3) {
                    self.get().cancel(false);
                    third.countDown();
                }
            };
            self.set(rate ? p.scheduleAtFixedRate(body, 0, 5, MILLISECONDS) : p.scheduleWithFixedDelay(body, 0, 5, MILLISECONDS));
            registered.countDown();
            assertTrue(((RunnableScheduledFuture<?>) self.get()).isPeriodic());
            await(third);
            // a later one-shot task on the same single-core executor: a fourth run would have come first
            p.schedule(() -> { }, 30, MILLISECONDS).get(LONG, SECONDS);
            assertEquals(3, runs.get());
            assertTrue(self.get().isCancelled());
            assertThrows(CancellationException.class, () -> self.get().get());
        }
    }

    @Test
    void aPeriodicTaskThatThrowsStopsAndReportsIt() {
        JwqScheduledThreadPoolExecutor p = pool(1);
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> f = p.scheduleAtFixedRate(() -> {
            if (runs.incrementAndGet() == 2) {
                throw new IllegalStateException("second run");
            }
        }, 0, 1, MILLISECONDS);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(LONG, SECONDS));
        assertEquals("second run", e.getCause().getMessage());
        assertEquals(2, runs.get());
    }

    @Test
    void theQueueHoldsScheduledTasksAndRemovePurgeAndRemoveOnCancelWork() {
        JwqScheduledThreadPoolExecutor p = pool(1);
        ScheduledFuture<?> a = p.schedule(() -> { }, 60, SECONDS);
        ScheduledFuture<?> b = p.schedule(() -> { }, 60, SECONDS);
        ScheduledFuture<?> c = p.schedule(() -> { }, 60, SECONDS);
        assertTrue(p.getQueue().containsAll(List.of(a, b, c)));
        assertEquals(3, p.getTaskCount());
        assertTrue(p.remove((Runnable) a));
        b.cancel(false);
        assertTrue(p.getQueue().contains(b), "without the remove-on-cancel policy a cancelled task stays queued");
        p.purge();
        assertEquals(List.of(c), new ArrayList<>(p.getQueue()));
        p.setRemoveOnCancelPolicy(true);
        assertTrue(p.getRemoveOnCancelPolicy());
        c.cancel(false);
        assertTrue(p.getQueue().isEmpty());
    }

    @Test
    void aTaskRemovedBeforeItIsDueNeverRuns() throws Exception {
        JwqScheduledThreadPoolExecutor p = pool(1);
        CountDownLatch started = new CountDownLatch(1);
        p.execute(() -> {
            started.countDown();
            await(release);
        });
        await(started); // the only core "thread" is busy: nothing else starts until release
        AtomicInteger ran = new AtomicInteger();
        ScheduledFuture<?> removed = p.schedule(ran::incrementAndGet, 1, MILLISECONDS);
        ScheduledFuture<?> cancelled = p.schedule(ran::incrementAndGet, 1, MILLISECONDS);
        assertTrue(p.remove((Runnable) removed));
        assertTrue(cancelled.cancel(false));
        ScheduledFuture<?> marker = p.schedule(() -> { }, 20, MILLISECONDS);
        release.countDown();
        marker.get(LONG, SECONDS); // due after the two, so their timers have fired into nothing
        assertEquals(0, ran.get());
    }

    @Test
    void shutdownRunsDelayedOneShotTasksAndStopsPeriodicOnesByDefault() throws Exception {
        JwqScheduledThreadPoolExecutor p = pool(1);
        ScheduledFuture<String> delayed = p.schedule(() -> "ran", 30, MILLISECONDS);
        ScheduledFuture<?> periodic = p.scheduleAtFixedRate(() -> { }, 1, 1, SECONDS);
        p.shutdown();
        assertTrue(periodic.isCancelled());
        assertThrows(RejectedExecutionException.class, () -> p.schedule(() -> { }, 0, SECONDS));
        assertEquals("ran", delayed.get(LONG, SECONDS));
        assertTrue(p.awaitTermination(LONG, SECONDS));
    }

    @Test
    void shutdownPoliciesCanDropDelayedTasksOrKeepPeriodicOnes() throws Exception {
        JwqScheduledThreadPoolExecutor p = pool(1);
        p.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        p.setContinueExistingPeriodicTasksAfterShutdownPolicy(true);
        ScheduledFuture<?> delayed = p.schedule(() -> { }, 60, SECONDS);
        CountDownLatch twiceAfterShutdown = new CountDownLatch(2);
        CountDownLatch shut = new CountDownLatch(1);
        ScheduledFuture<?> periodic = p.scheduleWithFixedDelay(() -> {
            if (shut.getCount() == 0) {
                twiceAfterShutdown.countDown();
            }
        }, 0, 1, MILLISECONDS);
        p.shutdown();
        shut.countDown();
        assertTrue(delayed.isCancelled());
        await(twiceAfterShutdown);
        assertFalse(periodic.isDone());
        assertFalse(p.isTerminated());
        p.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        assertTrue(p.awaitTermination(LONG, SECONDS));
        assertTrue(periodic.isCancelled());
    }

    @Test
    void shutdownNowReturnsTasksNotStartedAndInterruptsRunningOnes() throws Exception {
        JwqScheduledThreadPoolExecutor p = pool(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        p.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(LONG, SECONDS);
                interrupted.set(false);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        await(started);
        ScheduledFuture<?> later = p.schedule(() -> { }, 60, SECONDS);
        List<Runnable> never = p.shutdownNow();
        assertEquals(List.of(later), never);
        assertTrue(p.awaitTermination(LONG, SECONDS));
        assertEquals(Boolean.TRUE, interrupted.get());
        assertFalse(later.isDone());
    }

    @Test
    void decorateTaskAndTheHooksAreCalled() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        JwqScheduledThreadPoolExecutor p = new JwqScheduledThreadPoolExecutor(1, "s") {
            @Override
            protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> c, RunnableScheduledFuture<V> task) {
                calls.add("decorate");
                return task;
            }

            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                calls.add("before");
            }

            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                calls.add("after");
            }

            @Override
            protected void terminated() {
                calls.add("terminated");
            }
        };
        track(p);
        assertEquals(1, p.schedule(() -> 1, 1, MILLISECONDS).get(LONG, SECONDS));
        p.shutdown();
        assertTrue(p.awaitTermination(LONG, SECONDS));
        assertEquals(List.of("decorate", "before", "after", "terminated"), calls);
    }

    @Test
    void statisticsAndSettings() throws Exception {
        ThreadPoolExecutor.DiscardPolicy h = new ThreadPoolExecutor.DiscardPolicy();
        JwqScheduledThreadPoolExecutor p = new JwqScheduledThreadPoolExecutor(2, h, "s");
        track(p);
        assertSame(h, p.getRejectedExecutionHandler());
        assertEquals(2, p.getCorePoolSize());
        assertEquals(2, p.workqueue().maxActive());
        CountDownLatch started = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            p.execute(() -> {
                started.countDown();
                await(release);
            });
        }
        await(started);
        assertEquals(2, p.getActiveCount());
        assertEquals(2, p.getPoolSize());
        release.countDown();
        // Counted completed before they stop counting as active, as the JDK's pool does
        // (completedTasks++ before the worker's unlock): wait for both.
        eventually(() -> p.getCompletedTaskCount() == 2 && p.getActiveCount() == 0, "two tasks completed, none active");
        p.setCorePoolSize(3);
        assertEquals(3, p.workqueue().maxActive());
        assertTrue(p.prestartCoreThread(), "as the JDK's: 2 of 3 core threads started");
        assertEquals(3, p.getPoolSize());
        assertFalse(p.prestartCoreThread());
        p.shutdown();
        p.execute(() -> { }); // discarded by the policy, no exception
        assertTrue(p.awaitTermination(LONG, SECONDS));
        assertEquals(0, p.getPoolSize());
    }

    /** A ThreadFactory making threads of its own class: a plain ScheduledThreadPoolExecutor on those threads. */
    @Test
    void anExecutorWhoseFactoryMakesItsOwnThreadClassKeepsItsThreads() throws Exception {
        JwqScheduledThreadPoolExecutor p = new JwqScheduledThreadPoolExecutor(1, ThreadPoolExecutorCompatibilityTest.MarkedThread::new, "s");
        try {
            org.junit.jupiter.api.Assertions.assertNull(p.workqueue());
            assertEquals(ThreadPoolExecutorCompatibilityTest.MarkedThread.class,
                    p.schedule(Thread::currentThread, 1, TimeUnit.MILLISECONDS).get(30, TimeUnit.SECONDS).getClass());
            assertTrue(p.getQueue().getClass().getName().contains("DelayedWorkQueue"), "the JDK's own queue");
        } finally {
            p.shutdownNow();
            assertTrue(p.awaitTermination(30, TimeUnit.SECONDS));
        }
    }
}
