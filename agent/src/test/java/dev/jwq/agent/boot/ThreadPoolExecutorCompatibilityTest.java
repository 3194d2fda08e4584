package dev.jwq.agent.boot;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The behaviours the JSR-166 TCK's ThreadPoolExecutorTest checks that matter for a rewritten
 * executor (the TCK itself is not published on Maven Central), run against
 * {@link JwqThreadPoolExecutor} in this JVM. Blocking tasks wait on latches the test releases.
 */
class ThreadPoolExecutorCompatibilityTest extends RewrittenPoolFixture {

    private JwqThreadPoolExecutor pool(int core, int max, BlockingQueue<Runnable> q) {
        return track(new JwqThreadPoolExecutor(core, max, 10, SECONDS, q, "Compat.test:1"));
    }

    private JwqThreadPoolExecutor pool(int core, int max, BlockingQueue<Runnable> q, RejectedExecutionHandler h) {
        return track(new JwqThreadPoolExecutor(core, max, 10, SECONDS, q, h, "Compat.test:1"));
    }

    /**
     * A cached pool (a hand-off, no maximum) runs more tasks at once than a workqueue's
     * max_active (2048), as the JDK's starts a thread per task: 2,100 tasks that each wait until
     * all have started all finish, the last ones on threads of the executor's factory, which
     * shutdownNow interrupts. On the workqueue alone, the tasks past 2048 waited for a running one
     * to end, and those waited for them.
     */
    @Test
    void aCachedPoolRunsMoreTasksAtOnceThanAWorkqueuesMaxActive() throws Exception {
        JwqThreadPoolExecutor p = pool(0, Integer.MAX_VALUE, new SynchronousQueue<>());
        int n = 2100;
        CountDownLatch all = new CountDownLatch(n);
        List<Future<Boolean>> waits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            waits.add(p.submit(() -> {
                all.countDown();
                return all.await(LONG, SECONDS);
            }));
        }
        for (Future<Boolean> f : waits) {
            assertTrue(f.get(2 * LONG, SECONDS), all.getCount() + " of " + n + " tasks never started");
        }
        assertEquals(n, p.getLargestPoolSize());
        // Past the workqueue's slots, tasks still run on threads of their own: shutdownNow interrupts them too.
        CountDownLatch blocked = new CountDownLatch(n);
        List<Future<?>> stuck = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            stuck.add(p.submit(() -> {
                blocked.countDown();
                new CountDownLatch(1).await();
                return null;
            }));
        }
        assertTrue(blocked.await(LONG, SECONDS), blocked.getCount() + " of " + n + " blocking tasks never started");
        assertEquals(List.of(), p.shutdownNow());
        assertTrue(p.awaitTermination(LONG, SECONDS), "tasks blocked past the workqueue's slots were not interrupted");
        for (Future<?> f : stuck) {
            ExecutionException e = assertThrows(ExecutionException.class, f::get);
            assertTrue(e.getCause() instanceof InterruptedException, "not interrupted: " + e.getCause());
        }
    }

    /** A task that blocks until the test releases it, counting down {@code started} first. */
    private Runnable blocker(CountDownLatch started) {
        return () -> {
            started.countDown();
            try {
                release.await(LONG, SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // shutdownNow in tearDown: just end
            }
        };
    }

    static void await(CountDownLatch l) {
        try {
            assertTrue(l.await(LONG, SECONDS), "latch not released in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits (yielding, bounded) for a condition that another thread makes true. */
    static void eventually(BooleanSupplier c, String what) {
        long deadline = System.nanoTime() + SECONDS.toNanos(LONG);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "never happened: " + what);
            Thread.yield();
        }
    }

    /* --------------- construction and settings --------------- */

    @Test
    void constructorsCheckArgumentsAsTheJdkDoes() {
        BlockingQueue<Runnable> q = new LinkedBlockingQueue<>();
        assertThrows(IllegalArgumentException.class, () -> new JwqThreadPoolExecutor(-1, 1, 1, SECONDS, q, "s"));
        assertThrows(IllegalArgumentException.class, () -> new JwqThreadPoolExecutor(1, 0, 1, SECONDS, q, "s"));
        assertThrows(IllegalArgumentException.class, () -> new JwqThreadPoolExecutor(2, 1, 1, SECONDS, q, "s"));
        assertThrows(IllegalArgumentException.class, () -> new JwqThreadPoolExecutor(1, 1, -1, SECONDS, q, "s"));
        assertThrows(NullPointerException.class, () -> new JwqThreadPoolExecutor(1, 1, 1, SECONDS, null, "s"));
        assertThrows(NullPointerException.class, () -> new JwqThreadPoolExecutor(1, 1, 1, SECONDS, q, (ThreadFactory) null, "s"));
        assertThrows(NullPointerException.class, () -> new JwqThreadPoolExecutor(1, 1, 1, SECONDS, q, (RejectedExecutionHandler) null, "s"));
        // the JDK checks sizes before nulls
        assertThrows(IllegalArgumentException.class, () -> new JwqThreadPoolExecutor(-1, 1, 1, SECONDS, null, "s"));
    }

    @Test
    void gettersAndSettersKeepTheirMeaning() {
        BlockingQueue<Runnable> q = new LinkedBlockingQueue<>();
        ThreadFactory tf = r -> new Thread(r, "mine-1");
        RejectedExecutionHandler h = new ThreadPoolExecutor.DiscardPolicy();
        JwqThreadPoolExecutor p = track(new JwqThreadPoolExecutor(2, 5, 7, SECONDS, q, tf, h, "Compat.test:1"));
        assertEquals(2, p.getCorePoolSize());
        assertEquals(5, p.getMaximumPoolSize());
        assertEquals(7, p.getKeepAliveTime(SECONDS));
        assertSame(tf, p.getThreadFactory());
        assertSame(h, p.getRejectedExecutionHandler());
        assertSame(q, p.getQueue());
        assertEquals("mine", p.workqueue().name());
        p.setCorePoolSize(3);
        p.setMaximumPoolSize(6);
        p.setKeepAliveTime(1, MILLISECONDS);
        assertEquals(3, p.getCorePoolSize());
        assertEquals(6, p.getMaximumPoolSize());
        assertEquals(1, p.getKeepAliveTime(MILLISECONDS));
        assertThrows(IllegalArgumentException.class, () -> p.setCorePoolSize(-1));
        assertThrows(IllegalArgumentException.class, () -> p.setMaximumPoolSize(2));
        assertFalse(p.allowsCoreThreadTimeOut());
        p.allowCoreThreadTimeOut(true);
        assertTrue(p.allowsCoreThreadTimeOut());
        JwqThreadPoolExecutor zeroKeepAlive = track(new JwqThreadPoolExecutor(1, 1, 0, SECONDS, new LinkedBlockingQueue<>(), "s"));
        assertThrows(IllegalArgumentException.class, () -> zeroKeepAlive.allowCoreThreadTimeOut(true));
        assertTrue(p.prestartCoreThread(), "as the JDK's: a core thread (counted, none started) of 3");
        assertEquals(2, p.prestartAllCoreThreads());
        assertFalse(p.prestartCoreThread());
        assertEquals(0, p.getPoolSize(), "core threads time out: only runners count");
        assertThrows(NullPointerException.class, () -> p.execute(null));
        assertTrue(p.toString().contains("Running"), p.toString());
    }

    /* --------------- statistics --------------- */

    @Test
    void activeCompletedTaskAndPoolCountsFollowTheTasks() throws Exception {
        JwqThreadPoolExecutor p = pool(2, 2, new LinkedBlockingQueue<>());
        CountDownLatch started = new CountDownLatch(2);
        p.execute(blocker(started));
        p.execute(blocker(started));
        p.execute(() -> { });
        await(started);
        assertEquals(2, p.getActiveCount());
        assertEquals(2, p.getPoolSize());
        assertEquals(2, p.getLargestPoolSize());
        assertEquals(3, p.getTaskCount());
        assertEquals(0, p.getCompletedTaskCount());
        assertEquals(1, p.getQueue().size());
        release.countDown();
        // Both settle a moment apart, as in the JDK (a worker counts its task completed, then stops being busy).
        eventually(() -> p.getCompletedTaskCount() == 3 && p.getActiveCount() == 0, "3 tasks completed, none active");
        assertEquals(3, p.getTaskCount());
        assertEquals(2, p.getPoolSize(), "core threads stay counted, as idle core threads would");
        assertEquals(2, p.getLargestPoolSize());
    }

    /**
     * Once awaitTermination has returned true the counts are exact, as in the JDK (whose workers
     * are gone by then): every task counted once, none active. A direct task's item runs on for
     * an instant after its task was counted completed, and was counted once more: repeated, as
     * that instant is short (the count was 101 or 102 in 2 of 5 rounds like these).
     */
    @Test
    void aTerminatedPoolCountsEachTaskOnceAndNoneActive() throws Exception {
        for (int round = 0; round < 200; round++) {
            JwqThreadPoolExecutor p = pool(4, 4, new LinkedBlockingQueue<>());
            for (int i = 0; i < 100; i++) {
                p.execute(() -> { });
            }
            p.shutdown();
            assertTrue(p.awaitTermination(10, SECONDS));
            long tasks = p.getTaskCount();
            int active = p.getActiveCount();
            assertEquals(100, tasks, "task count after termination, round " + round);
            assertEquals(0, active, "active count after termination, round " + round);
            assertEquals(100, p.getCompletedTaskCount());
        }
    }

    /* --------------- queueing --------------- */

    @Test
    void tasksWaitInTheCallersQueueWhereRemoveAndPurgeWork() throws Exception {
        JwqThreadPoolExecutor p = pool(1, 1, new LinkedBlockingQueue<>());
        CountDownLatch started = new CountDownLatch(1);
        p.execute(blocker(started));
        await(started);
        AtomicInteger ran = new AtomicInteger();
        Runnable removed = ran::incrementAndGet;
        FutureTask<Void> cancelled = new FutureTask<>(ran::incrementAndGet, null);
        Runnable kept = ran::incrementAndGet;
        p.execute(removed);
        p.execute(cancelled);
        p.execute(kept);
        assertEquals(List.of(removed, cancelled, kept), new ArrayList<>(p.getQueue()));
        assertTrue(p.remove(removed));
        assertFalse(p.remove(removed));
        cancelled.cancel(false);
        p.purge();
        assertEquals(List.of(kept), new ArrayList<>(p.getQueue()));
        release.countDown();
        eventually(() -> p.getCompletedTaskCount() == 2, "the blocker and the kept task completed");
        assertEquals(1, ran.get(), "removed and cancelled tasks never ran");
    }

    @RepeatedTest(5)
    void aPriorityQueueDecidesTheOrder() throws Exception {
        JwqThreadPoolExecutor p = pool(1, 1, new PriorityBlockingQueue<>());
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(5);
        p.execute(new Prioritized(-1, () -> {
            started.countDown();
            await(release);
        }));
        await(started);
        for (int prio : new int[] {5, 1, 4, 2, 3}) {
            p.execute(new Prioritized(prio, () -> {
                order.add(prio);
                done.countDown();
            }));
        }
        release.countDown();
        await(done);
        assertEquals(List.of(1, 2, 3, 4, 5), order);
    }

    record Prioritized(int prio, Runnable body) implements Runnable, Comparable<Prioritized> {
        @Override
        public void run() {
            body.run();
        }

        @Override
        public int compareTo(Prioritized o) {
            return Integer.compare(prio, o.prio);
        }
    }

    @Test
    void aSynchronousQueueAcceptsUpToMaxRunningTasks() {
        JwqThreadPoolExecutor p = pool(0, 2, new SynchronousQueue<>());
        CountDownLatch started = new CountDownLatch(2);
        p.execute(blocker(started));
        p.execute(blocker(started));
        await(started);
        assertThrows(RejectedExecutionException.class, () -> p.execute(() -> { }));
        assertEquals(2, p.getLargestPoolSize());
    }

    /**
     * A task offered just as the last runner leaves must still run: the runner looks at the queue
     * again after giving up its slot. Each round's second task races the first one's runner
     * leaving; a stranded task would wait forever, since nothing else is queued after it.
     */
    @Test
    void noTaskIsStrandedWhenTheLastRunnerLeavesAsATaskArrives() {
        JwqThreadPoolExecutor p = pool(1, 1, new LinkedBlockingQueue<>());
        p.getQueue(); // queued mode: tasks wait in the queue behind runners
        java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
        for (int round = 0; round < 20_000; round++) {
            CountDownLatch second = new CountDownLatch(1);
            p.execute(() -> { });
            for (int spin = rnd.nextInt(3_000); spin > 0; spin--) {
                Thread.onSpinWait(); // vary when the second offer meets the first runner leaving
            }
            p.execute(second::countDown);
            try {
                assertTrue(second.await(LONG, SECONDS), "task stranded in round " + round + ": " + p);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void raisingCorePoolSizeStartsQueuedTasks() {
        JwqThreadPoolExecutor p = pool(1, 4, new LinkedBlockingQueue<>());
        CountDownLatch first = new CountDownLatch(1);
        p.execute(blocker(first));
        await(first);
        CountDownLatch second = new CountDownLatch(1);
        p.execute(blocker(second));
        assertEquals(1, p.getQueue().size());
        p.setCorePoolSize(2);
        await(second);
        assertEquals(2, p.getActiveCount());
    }

    /* --------------- rejection --------------- */

    /** Core and max 1, a queue of 1 holding {@code queued}, a blocked task running. */
    private JwqThreadPoolExecutor saturated(RejectedExecutionHandler h, Runnable queued) {
        JwqThreadPoolExecutor p = pool(1, 1, new ArrayBlockingQueue<>(1), h);
        CountDownLatch started = new CountDownLatch(1);
        p.execute(blocker(started));
        await(started);
        p.execute(queued);
        return p;
    }

    @Test
    void abortPolicyThrows() {
        JwqThreadPoolExecutor p = saturated(new ThreadPoolExecutor.AbortPolicy(), () -> { });
        assertThrows(RejectedExecutionException.class, () -> p.execute(() -> { }));
    }

    @Test
    void callerRunsPolicyRunsInTheCaller() {
        JwqThreadPoolExecutor p = saturated(new ThreadPoolExecutor.CallerRunsPolicy(), () -> { });
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        p.execute(() -> ranOn.set(Thread.currentThread()));
        assertSame(Thread.currentThread(), ranOn.get());
    }

    @Test
    void discardPolicyDropsTheNewTask() {
        AtomicInteger ran = new AtomicInteger();
        JwqThreadPoolExecutor p = saturated(new ThreadPoolExecutor.DiscardPolicy(), ran::incrementAndGet);
        Runnable dropped = () -> ran.addAndGet(100);
        p.execute(dropped);
        assertFalse(p.getQueue().contains(dropped));
        release.countDown();
        eventually(() -> p.getCompletedTaskCount() == 2, "blocker and queued task completed");
        assertEquals(1, ran.get());
    }

    @Test
    void discardOldestPolicyDropsTheOldestQueuedTask() {
        AtomicInteger ran = new AtomicInteger();
        JwqThreadPoolExecutor p = saturated(new ThreadPoolExecutor.DiscardOldestPolicy(), () -> ran.addAndGet(100));
        Runnable newer = ran::incrementAndGet;
        p.execute(newer);
        assertEquals(List.of(newer), new ArrayList<>(p.getQueue()));
        release.countDown();
        eventually(() -> p.getCompletedTaskCount() == 2, "blocker and newer task completed");
        assertEquals(1, ran.get());
    }

    @Test
    void tasksAfterShutdownGoToTheHandler() {
        List<Runnable> rejected = new ArrayList<>();
        JwqThreadPoolExecutor p = pool(1, 1, new LinkedBlockingQueue<>(), (r, e) -> rejected.add(r));
        p.shutdown();
        Runnable late = () -> { };
        p.execute(late);
        assertEquals(List.of(late), rejected);
    }

    /* --------------- hooks --------------- */

    @Test
    void beforeAfterAndTerminatedHooksRun() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        RuntimeException boom = new RuntimeException("boom");
        JwqThreadPoolExecutor p = track(new JwqThreadPoolExecutor(1, 1, 1, SECONDS, new LinkedBlockingQueue<>(), "s") {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                calls.add("before " + (t == Thread.currentThread()) + " " + t.getName().startsWith("s@jwq/"));
            }

            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                calls.add("after " + (t == null ? "ok" : t.getMessage()));
            }

            @Override
            protected void terminated() {
                calls.add("terminated");
            }
        });
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        AtomicReference<Throwable> reported = new AtomicReference<>();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> reported.set(e));
        try {
            p.execute(() -> { });
            p.execute(() -> {
                throw boom;
            });
            p.shutdown();
            assertTrue(p.awaitTermination(LONG, SECONDS));
            eventually(() -> reported.get() != null, "the task's exception reported");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertEquals(List.of("before true true", "after ok", "before true true", "after boom", "terminated"), calls);
        assertSame(boom, reported.get());
        assertEquals(2, p.getCompletedTaskCount());
    }

    /* --------------- lifecycle --------------- */

    @Test
    void shutdownRunsQueuedTasksThenTerminates() throws Exception {
        JwqThreadPoolExecutor p = pool(1, 1, new LinkedBlockingQueue<>());
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        p.execute(blocker(started));
        await(started);
        for (int i = 0; i < 5; i++) {
            p.execute(ran::incrementAndGet);
        }
        p.shutdown();
        assertTrue(p.isShutdown());
        assertTrue(p.isTerminating());
        assertFalse(p.isTerminated());
        assertFalse(p.awaitTermination(10, MILLISECONDS));
        assertThrows(RejectedExecutionException.class, () -> p.execute(() -> { }));
        release.countDown();
        assertTrue(p.awaitTermination(LONG, SECONDS));
        assertTrue(p.isTerminated());
        assertFalse(p.isTerminating());
        assertEquals(5, ran.get());
        assertEquals(0, p.getPoolSize());
        // released once the last runner's own work item has returned, a moment after TERMINATED
        assertTrue(p.workqueue().awaitTermination(LONG, SECONDS), "the workqueue is released");
    }

    /**
     * Nothing is counted per task for termination (the workqueue, shut down with the executor,
     * says when its last item ended): termination must still wait for every task that execute
     * accepted, and execute must reject every task it did not, while two submitters
     * race shutdown and the workers race both. Each round releases the submitters and the
     * shutdown together from a barrier, the shutdown a little later each round, so that it
     * lands before, among and after the first tasks' ends; 200 rounds.
     */
    @Test
    void terminationRacingSubmittersAndWorkersWaitsForEveryAcceptedTask() throws Exception {
        for (int round = 0; round < 200; round++) {
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger ranWhenTerminated = new AtomicInteger(-1);
            JwqThreadPoolExecutor p = track(new JwqThreadPoolExecutor(2, 2, 10, SECONDS, new LinkedBlockingQueue<>(),
                    "Compat.test:1") {
                @Override
                protected void terminated() {
                    ranWhenTerminated.set(ran.get());
                }
            });
            CyclicBarrier go = new CyclicBarrier(3);
            int[] accepted = new int[2];
            Thread[] submitters = new Thread[2];
            for (int i = 0; i < submitters.length; i++) {
                int me = i;
                submitters[i] = new Thread(() -> {
                    try {
                        go.await(LONG, SECONDS);
                        for (;;) {
                            p.execute(ran::incrementAndGet);
                            accepted[me]++;
                        }
                    } catch (RejectedExecutionException e) {
                        // shut down: this submitter is done
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                submitters[i].start();
            }
            go.await(LONG, SECONDS);
            long until = System.nanoTime() + (round % 20) * 5_000L; // 0-95 us: varies where shutdown lands
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            p.shutdown();
            assertTrue(p.awaitTermination(LONG, SECONDS), "round " + round);
            int ranAtTermination = ran.get();
            for (Thread t : submitters) {
                t.join(SECONDS.toMillis(LONG));
            }
            assertEquals(accepted[0] + accepted[1], ranAtTermination, "round " + round + ": accepted vs ran at termination");
            assertEquals(ranAtTermination, ranWhenTerminated.get(), "round " + round + ": terminated() ran before a task");
        }
    }

    @Test
    void shutdownNowReturnsQueuedTasksAndInterruptsRunningOnes() throws Exception {
        JwqThreadPoolExecutor p = pool(1, 1, new LinkedBlockingQueue<>());
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
        Runnable a = () -> { }, b = () -> { };
        p.execute(a);
        p.execute(b);
        assertEquals(List.of(a, b), p.shutdownNow());
        assertTrue(p.awaitTermination(LONG, SECONDS));
        assertEquals(Boolean.TRUE, interrupted.get());
        assertEquals(0, p.getQueue().size());
    }

    @Test
    void anInterruptAimedAtOneTaskDoesNotReachTheNextOnTheSameWorker() throws Exception {
        JwqThreadPoolExecutor p = pool(1, 1, new LinkedBlockingQueue<>());
        p.execute(() -> Thread.currentThread().interrupt());
        Future<Boolean> next = p.submit(() -> Thread.currentThread().isInterrupted());
        assertFalse(next.get(LONG, SECONDS));
    }

    @Test
    void invokeAllAndInvokeAnyWork() throws Exception {
        JwqThreadPoolExecutor p = pool(2, 2, new LinkedBlockingQueue<>());
        List<Callable<Integer>> calls = List.of(() -> 1, () -> 2, () -> 3);
        int sum = 0;
        for (Future<Integer> f : p.invokeAll(calls)) {
            sum += f.get();
        }
        assertEquals(6, sum);
        assertTrue(List.of(1, 2, 3).contains(p.invokeAny(calls)));
        Future<?> failing = p.submit(() -> {
            throw new IllegalStateException("x");
        });
        assertThrows(ExecutionException.class, () -> failing.get(LONG, SECONDS));
    }

    /** max_active is the number of threads ThreadPoolExecutor would run at most. */
    @Test
    void runsOnJwqWorkersWithMaxActiveAsManyAsTheJdksThreads() throws Exception {
        JwqThreadPoolExecutor p = pool(4, 4, new LinkedBlockingQueue<>());
        Future<String> name = p.submit(() -> Thread.currentThread().getName());
        assertTrue(name.get(LONG, SECONDS).startsWith("Compat.test:1@jwq/u"), name.get());
        assertNotSame(null, p.workqueue());
        assertEquals(4, p.workqueue().maxActive());
        p.setMaximumPoolSize(8);
        assertEquals(4, p.workqueue().maxActive(), "an unbounded queue: never more than core threads");
        p.setCorePoolSize(6);
        assertEquals(6, p.workqueue().maxActive());
        JwqThreadPoolExecutor bounded = pool(2, 5, new ArrayBlockingQueue<>(3));
        assertEquals(5, bounded.workqueue().maxActive(), "a bounded queue: up to max threads once it is full");
        JwqThreadPoolExecutor cached = pool(0, Integer.MAX_VALUE, new SynchronousQueue<>());
        assertEquals(2048, cached.workqueue().maxActive(), "a hand-off: a thread per task (WQ_MAX_ACTIVE)");
    }

    /* --------------- direct: one work item per task --------------- */

    /**
     * With an unbounded queue each waiting task is a pending item of the workqueue and nothing is
     * queued twice: the caller's queue object stays empty until the executor's queue is looked
     * at, which moves the waiting tasks into it, in order.
     */
    @Test
    void waitingTasksAreTheWorkqueuesPendingItemsUntilTheQueueIsLookedAt() {
        LinkedBlockingQueue<Runnable> q = new LinkedBlockingQueue<>();
        JwqThreadPoolExecutor p = pool(1, 1, q);
        CountDownLatch started = new CountDownLatch(1);
        p.execute(blocker(started));
        await(started);
        List<Runnable> waiting = List.of(() -> { }, () -> { }, () -> { });
        waiting.forEach(p::execute);
        assertEquals(0, q.size(), "nothing in the caller's queue: no double queueing");
        assertEquals(3, dev.jwq.spi.PendingWork.of(p.workqueue()).size());
        assertEquals(4, p.getTaskCount());
        assertEquals(waiting, new ArrayList<>(p.getQueue()));
        assertEquals(0, dev.jwq.spi.PendingWork.of(p.workqueue()).stream()
                .filter(i -> !i.function().toString().startsWith("runner")).count(), "moved, not copied");
        release.countDown();
        eventually(() -> p.getCompletedTaskCount() == 4, "all four ran");
    }

    /**
     * Looked at right after the tasks were queued, the caller's queue holds only the tasks
     * ThreadPoolExecutor would queue: those past the core threads. A task that has a slot but
     * no worker yet is one the JDK hands to the thread it starts, and must not be moved into the
     * queue (it was, whenever the workers had not taken it yet). Repeated: workers take such
     * tasks within microseconds.
     */
    @RepeatedTest(20)
    void theQueueLookedAtAtOnceHoldsOnlyTheTasksPastTheCoreThreads() {
        JwqThreadPoolExecutor p = pool(4, 4, new LinkedBlockingQueue<>());
        CountDownLatch started = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            p.execute(blocker(started));
        }
        List<Runnable> past = List.of(() -> { }, () -> { });
        past.forEach(p::execute);
        assertEquals(past, new ArrayList<>(p.getQueue()), "the queue, looked at at once");
        await(started); // the four ran as direct tasks all the same
        release.countDown();
        eventually(() -> p.getCompletedTaskCount() == 6, "all six ran");
    }

    /**
     * A pool of one stays a pool of one across the switch to queued mode: the runner started for
     * the moved tasks waits while the direct task still runs (max_active), and the tasks run one
     * at a time, in order.
     */
    @RepeatedTest(5)
    void aPoolOfOneNeverRunsTwoTasksAtOnceAcrossTheSwitch() {
        JwqThreadPoolExecutor p = pool(1, 4, new LinkedBlockingQueue<>()); // max 4: the JDK never uses it here
        AtomicInteger running = new AtomicInteger(), most = new AtomicInteger();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(1);
        p.execute(blocker(started));
        await(started);
        for (int i = 0; i < 20; i++) {
            int n = i;
            p.execute(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(n);
                Thread.yield();
                running.decrementAndGet();
            });
        }
        assertEquals(20, p.getQueue().size());
        p.execute(() -> order.add(20)); // queued mode from now on: behind the moved ones
        release.countDown();
        eventually(() -> p.getCompletedTaskCount() == 22, "all ran");
        assertEquals(1, most.get(), "two tasks ran at once");
        assertEquals(java.util.stream.IntStream.rangeClosed(0, 20).boxed().toList(), order);
    }

    /** A direct task still running holds its thread's place: a task after the switch waits in the queue, as in the JDK. */
    @Test
    void afterTheSwitchARunningDirectTaskStillCountsAsABusyThread() {
        JwqThreadPoolExecutor p = pool(1, 1, new LinkedBlockingQueue<>());
        CountDownLatch started = new CountDownLatch(1);
        p.execute(blocker(started));
        await(started);
        BlockingQueue<Runnable> q = p.getQueue();
        Runnable next = () -> { };
        p.execute(next);
        assertEquals(List.of(next), new ArrayList<>(q));
        release.countDown();
        eventually(() -> p.getCompletedTaskCount() == 2, "both ran");
    }

    /**
     * Tasks submitted from another thread while the queue is first looked at: each ends up in
     * the queue, whichever side of the switch it lands on (a task queued as a direct item just
     * after the switch moved the others moves itself), and then runs exactly once. The only
     * core slot is held by a blocker so that none starts early; a barrier starts both sides
     * together, and rounds vary the overlap.
     */
    @Test
    void tasksSubmittedDuringTheSwitchAllEndUpInTheQueueAndRunOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            CountDownLatch hold = new CountDownLatch(1), held = new CountDownLatch(1);
            JwqThreadPoolExecutor p = pool(1, 1, new LinkedBlockingQueue<>());
            p.execute(() -> {
                held.countDown();
                await(hold);
            });
            await(held);
            AtomicInteger ran = new AtomicInteger();
            java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
            Thread submitter = new Thread(() -> {
                try {
                    go.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < 30; i++) {
                    p.execute(ran::incrementAndGet);
                }
            });
            submitter.start();
            go.await();
            BlockingQueue<Runnable> q = p.getQueue();
            submitter.join();
            assertEquals(30, q.size(), "round " + round + ": every waiting task is in the queue");
            hold.countDown();
            eventually(() -> p.getCompletedTaskCount() == 31, "all ran in round " + round + ": " + p);
            assertEquals(30, ran.get());
            p.shutdown();
            assertTrue(p.awaitTermination(LONG, SECONDS));
        }
    }

    /* --------------- left alone --------------- */

    /** A thread class of the library's own: how it recognises its threads (RxJava, Reactor, Netty). */
    static final class MarkedThread extends Thread {
        MarkedThread(Runnable r) {
            super(r, "marked-1");
        }
    }

    @Test
    void anExecutorWhoseFactoryMakesItsOwnThreadClassKeepsItsThreads() throws Exception {
        JwqThreadPoolExecutor p = track(new JwqThreadPoolExecutor(1, 1, 1, SECONDS, new LinkedBlockingQueue<>(),
                MarkedThread::new, "s"));
        assertNull(p.workqueue());
        assertEquals(MarkedThread.class, p.submit(Thread::currentThread).get(LONG, SECONDS).getClass());
        assertTrue(AgentReport.summary().contains("new ThreadPoolExecutor with ThreadFactory making "
                + MarkedThread.class.getName() + " threads"), AgentReport.summary());
    }

    /** A queue class of the application's own: its offer may depend on the pool's threads. */
    static final class CustomQueue extends LinkedBlockingQueue<Runnable> {
    }

    @Test
    void anExecutorWithACustomQueueIsAPlainThreadPoolExecutor() throws Exception {
        CustomQueue q = new CustomQueue();
        JwqThreadPoolExecutor p = track(new JwqThreadPoolExecutor(1, 1, 1, SECONDS, q, r -> new Thread(r, "own-thread"), "s"));
        assertNull(p.workqueue());
        assertEquals("own-thread", p.submit(() -> Thread.currentThread().getName()).get(LONG, SECONDS));
        assertSame(q, p.getQueue());
        assertEquals(1, p.getPoolSize(), "its own thread");
        assertTrue(AgentReport.summary().contains("new ThreadPoolExecutor with queue " + CustomQueue.class.getName()),
                AgentReport.summary());
    }
}
