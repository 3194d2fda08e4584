package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guarantees 13, 14 and 15 of DESIGN.md §3a: max_active per CPU, max_active of unbound
 * workqueues (and dependency chains up to min_active), and ordered workqueues.
 *
 * <p>Every interleaving is forced with latches or semaphores: an item that must hold a slot
 * blocks on its own gate (inside {@link Workqueues#blocking(Runnable)}, so that concurrency
 * management lets the next item of a per-CPU pool start), and the test opens the gates one by
 * one. "Does not start" is checked with a bounded wait; "starts" with a 10 s wait that fails.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MaxActiveGuaranteesTest extends WorkqueueFixture {
    /* ------------------------------------------------------------------ 13 */

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = {"PERCPU", "HIGHPRI", "MAX_ACTIVE_1"})
    void perCpuMaxActive1RunsOneAtATimeInFifoOrder(WorkqueueKind kind) throws Exception {
        Workqueue wq = perCpu(kind, 1);
        int cpu = Cpus.cpuAt(0);
        fifoUnderMaxActive(wq, 1, w -> wq.queueOn(cpu, w), true);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = {"PERCPU", "HIGHPRI", "MAX_ACTIVE_1"})
    void perCpuMaxActive3RunsThreeAtATimeInFifoOrder(WorkqueueKind kind) throws Exception {
        Workqueue wq = perCpu(kind, 3);
        int cpu = Cpus.cpuAt(0);
        fifoUnderMaxActive(wq, 3, w -> wq.queueOn(cpu, w), true);
    }

    @Test
    void perCpuMaxActiveFromBuilderIsHonoured() throws Exception {
        Workqueue wq = track(Workqueue.builder("ma13-builder").flags(WqFlag.PERCPU).maxActive(3).build());
        assertEquals(3, wq.maxActive());
        int cpu = Cpus.cpuAt(0);
        fifoUnderMaxActive(wq, 3, w -> wq.queueOn(cpu, w), true);
    }

    /** The limit is per CPU: N items run on each CPU at once, no more on any. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = {"PERCPU", "HIGHPRI", "MAX_ACTIVE_1"})
    void perCpuLimitAppliesToEachCpuSeparately(WorkqueueKind kind) throws Exception {
        assumeTrue(Cpus.count() >= 2, "needs two usable CPUs");
        int n = kind == WorkqueueKind.MAX_ACTIVE_1 ? 1 : 2;
        Workqueue wq = perCpu(kind, n);
        int cpus = 2;
        CountDownLatch gate = gate();
        AtomicInteger[] running = {new AtomicInteger(), new AtomicInteger()};
        AtomicInteger[] max = {new AtomicInteger(), new AtomicInteger()};
        Semaphore[] started = {new Semaphore(0), new Semaphore(0)};
        CountDownLatch done = new CountDownLatch(cpus * (n + 2));
        for (int c = 0; c < cpus; c++) {
            int idx = c;
            for (int i = 0; i < n + 2; i++) {
                assertTrue(wq.queueOn(Cpus.cpuAt(idx), new Work(() -> {
                    if (Cpus.currentIndex() != idx) {
                        problems.add("item queued on CPU index " + idx + " ran on index " + Cpus.currentIndex());
                    }
                    max[idx].accumulateAndGet(running[idx].incrementAndGet(), Math::max);
                    started[idx].release();
                    block(gate, "per-CPU item");
                    running[idx].decrementAndGet();
                    done.countDown();
                })));
            }
        }
        for (int c = 0; c < cpus; c++) {
            assertTrue(started[c].tryAcquire(n, MUST_HAPPEN_S, TimeUnit.SECONDS), n + " items should start on CPU index " + c);
        }
        for (int c = 0; c < cpus; c++) {
            assertNotWithin(started[c], "an item beyond max_active " + n + " started on CPU index " + c);
            assertEquals(n, running[c].get(), "items running on CPU index " + c);
        }
        gate.countDown();
        await(done, "all items");
        for (int c = 0; c < cpus; c++) {
            assertEquals(n, max[c].get(), "most items running at once on CPU index " + c);
        }
        assertNoProblems();
    }

    /** Raising max_active lets the oldest waiting items start, still in FIFO order. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = {"PERCPU", "HIGHPRI", "MAX_ACTIVE_1", "UNBOUND", "MAX_ACTIVE_N", "UNBOUND_PODS"})
    void raisingMaxActiveActivatesOldestWaitingItems(WorkqueueKind kind) throws Exception {
        Workqueue wq = track(kind.create("ma-raise"));
        wq.setMaxActive(1);
        int cpu = Cpus.cpuAt(0);
        int total = 6;
        CountDownLatch gate = gate();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        Semaphore started = new Semaphore(0);
        CountDownLatch done = new CountDownLatch(total);
        for (int i = 0; i < total; i++) {
            int id = i;
            assertTrue(wq.queueOn(cpu, new Work(() -> {
                order.add(id);
                started.release();
                block(gate, "item " + id);
                done.countDown();
            })));
        }
        assertTrue(started.tryAcquire(1, MUST_HAPPEN_S, TimeUnit.SECONDS), "first item should start");
        assertNotWithin(started, "second item started under max_active 1");
        wq.setMaxActive(3);
        assertEquals(3, wq.maxActive());
        assertTrue(started.tryAcquire(2, MUST_HAPPEN_S, TimeUnit.SECONDS), "raising max_active to 3 should start two more");
        assertNotWithin(started, "a fourth item started under max_active 3");
        assertEquals(Set.of(0, 1, 2), new HashSet<>(order), "the oldest items are activated first");
        gate.countDown();
        await(done, "all items");
        assertEquals(Set.of(3, 4, 5), new HashSet<>(order.subList(3, 6)));
        assertNoProblems();
    }

    /* ------------------------------------------------------------------ 14 */

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = {"UNBOUND", "MAX_ACTIVE_N", "UNBOUND_PODS"})
    void unboundMaxActive1AcrossSubmitterThreads(WorkqueueKind kind) throws Exception {
        Workqueue wq = unbound(kind, 1);
        atMostNAcrossThreads(wq, 1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = {"UNBOUND", "MAX_ACTIVE_N", "UNBOUND_PODS"})
    void unboundMaxActive3AcrossSubmitterThreads(WorkqueueKind kind) throws Exception {
        Workqueue wq = unbound(kind, 3);
        atMostNAcrossThreads(wq, 3);
    }

    /** MAX_ACTIVE_N is built with max_active 4: that limit, unchanged. */
    @Test
    void unboundMaxActiveFromBuilderAcrossSubmitterThreads() throws Exception {
        Workqueue wq = track(WorkqueueKind.MAX_ACTIVE_N.create("ma14-builder"));
        assertEquals(4, wq.maxActive());
        atMostNAcrossThreads(wq, 4);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = {"UNBOUND", "MAX_ACTIVE_N", "UNBOUND_PODS"})
    void unboundMaxActive1FifoWhenQueuedFromSeveralCpus(WorkqueueKind kind) throws Exception {
        Workqueue wq = unbound(kind, 1);
        AtomicInteger k = new AtomicInteger();
        fifoUnderMaxActive(wq, 1, w -> wq.queueOn(Cpus.cpuAt(k.getAndIncrement() % Cpus.count()), w), true);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = {"UNBOUND", "MAX_ACTIVE_N", "UNBOUND_PODS"})
    void unboundMaxActive3FifoWhenQueuedFromSeveralCpus(WorkqueueKind kind) throws Exception {
        Workqueue wq = unbound(kind, 3);
        AtomicInteger k = new AtomicInteger();
        // The first three start together on different workers: their relative order is free.
        fifoUnderMaxActive(wq, 3, w -> wq.queueOn(Cpus.cpuAt(k.getAndIncrement() % Cpus.count()), w), false);
    }

    /**
     * Item k waits for item k+1 to start: the chain completes only if all of it is active at
     * once. A chain of min(max_active, 8) items must never deadlock.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = {"UNBOUND", "MAX_ACTIVE_N", "UNBOUND_PODS"})
    void dependencyChainOfMinActiveNeverDeadlocks(WorkqueueKind kind) throws Exception {
        Workqueue wq = track(kind.create("ma14-chain"));
        dependencyChain(wq, Math.min(wq.maxActive(), 8));
        for (int n : new int[] {3, 1}) {
            wq.setMaxActive(n);
            dependencyChain(wq, Math.min(n, 8));
        }
        assertNoProblems();
    }

    /* ------------------------------------------------------------------ 15 */

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = "ORDERED")
    void orderedRunsOneAtATimeInQueueingOrder(WorkqueueKind kind) throws Exception {
        oneAtATimeInOrder(track(kind.create("ma15")));
    }

    /** The single-thread twins are ordered workqueues: the same guarantee. */
    @Test
    void singleThreadTwinsRunOneAtATimeInQueueingOrder() throws Exception {
        oneAtATimeInOrder(track((Workqueue) Workqueues.newSingleThreadExecutor()));
        oneAtATimeInOrder(track((Workqueue) Workqueues.newSingleThreadScheduledExecutor()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = "ORDERED")
    void orderedKeepsEachThreadsOrderAndNeverOverlapsWithConcurrentQueuers(WorkqueueKind kind) throws Exception {
        Workqueue wq = track(kind.create("ma15-threads"));
        int threads = 3, per = 100;
        AtomicInteger running = new AtomicInteger(), max = new AtomicInteger();
        List<int[]> ran = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(threads * per);
        CyclicBarrier go = new CyclicBarrier(threads);
        List<Thread> queuers = new ArrayList<>();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            int tid = t;
            Thread th = new Thread(() -> {
                try {
                    go.await(MUST_HAPPEN_S, TimeUnit.SECONDS);
                    for (int i = 0; i < per; i++) {
                        int seq = i;
                        wq.execute(() -> {
                            max.accumulateAndGet(running.incrementAndGet(), Math::max);
                            ran.add(new int[] {tid, seq});
                            Thread.yield();
                            running.decrementAndGet();
                            done.countDown();
                        });
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "queuer-" + t);
            th.start();
            queuers.add(th);
        }
        for (Thread th : queuers) {
            th.join(MUST_HAPPEN_S * 1000);
            assertFalse(th.isAlive(), th.getName() + " did not finish queueing");
        }
        assertTrue(errors.isEmpty(), () -> "queueing failed: " + errors);
        await(done, "all items");
        assertEquals(1, max.get(), "items of an ordered workqueue overlapped");
        int[] next = new int[threads];
        synchronized (ran) {
            for (int[] r : ran) {
                assertEquals(next[r[0]]++, r[1], "items of queuer " + r[0] + " ran out of order");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = "ORDERED")
    void orderedRefusesSetMaxActiveAndStillHoldsBackTheNextItem(WorkqueueKind kind) throws Exception {
        Workqueue wq = track(kind.create("ma15-refuse"));
        assertTrue(wq.isOrdered());
        assertEquals(1, wq.maxActive());
        CountDownLatch secondStarted = new CountDownLatch(1);
        Harness.HeldRun<Work> first = h.runHeld(wq);
        assertTrue(wq.queue(new Work(secondStarted::countDown)));
        assertNotWithin(secondStarted, "second item started while the first runs");
        for (int n : new int[] {0, 1, 2, 16, 2048}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> wq.setMaxActive(n));
            assertTrue(e.getMessage().contains(wq.name()), "message should name the workqueue: " + e.getMessage());
        }
        assertEquals(1, wq.maxActive(), "a refused setMaxActive changed max_active");
        assertNotWithin(secondStarted, "second item started after a refused setMaxActive");
        first.release();
        await(secondStarted, "second item start");
    }

    /* ------------------------------------------------------------------ helpers */

    /** Queues a Work item; returns what queue returned. */
    @FunctionalInterface
    private interface Queuer {
        boolean queue(Work w);
    }

    /**
     * Queues n + 5 items that each hold a slot until released, checks that exactly n start,
     * queues 4 more, then releases them one by one: each release starts exactly the oldest
     * waiting item. Start order must be queueing order (the first n as a set when
     * {@code firstInOrder} is false: they start together).
     */
    private void fifoUnderMaxActive(Workqueue wq, int n, Queuer queuer, boolean firstInOrder) throws Exception {
        int initial = n + 5, later = 4, total = initial + later;
        CountDownLatch[] started = new CountDownLatch[total];
        CountDownLatch[] release = new CountDownLatch[total];
        Work[] works = new Work[total];
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger(), max = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        for (int i = 0; i < total; i++) {
            int id = i;
            started[i] = new CountDownLatch(1);
            release[i] = gate();
            works[i] = new Work(() -> {
                max.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(id);
                started[id].countDown();
                block(release[id], "item " + id);
                running.decrementAndGet();
                done.countDown();
            });
        }
        for (int i = 0; i < initial; i++) {
            assertTrue(queuer.queue(works[i]), "queue of item " + i);
        }
        for (int i = 0; i < n; i++) {
            await(started[i], "start of item " + i + " (max_active " + n + ")");
        }
        assertNotWithin(started[n], "item " + n + " started while " + n + " items were running (max_active " + n + ")");
        assertEquals(n, running.get(), "items running at once");
        for (int i = n; i < initial; i++) {
            assertTrue(works[i].isPending(), "item " + i + " should still be pending");
        }
        // New items go behind the waiting ones.
        for (int i = initial; i < total; i++) {
            assertTrue(queuer.queue(works[i]), "queue of item " + i);
        }
        for (int k = 0; k < total; k++) {
            release[k].countDown();
            if (k + n < total) {
                await(started[k + n], "start of item " + (k + n) + " after item " + k + " finished");
                assertTrue(running.get() <= n, "more than " + n + " items running: " + running.get());
            }
        }
        await(done, "completion of all items");
        List<Integer> got;
        synchronized (order) {
            got = new ArrayList<>(order);
        }
        List<Integer> expected = IntStream.range(0, total).boxed().collect(Collectors.toList());
        if (firstInOrder) {
            assertEquals(expected, got, "start order");
        } else {
            assertEquals(new HashSet<>(expected.subList(0, n)), new HashSet<>(got.subList(0, n)), "first items to start");
            assertEquals(expected.subList(n, total), got.subList(n, total), "start order of the waiting items");
        }
        assertEquals(n, max.get(), "most items running at once");
        assertNoProblems();
    }

    /** Several threads queue at once (queue, queueOn any CPU, execute); at most n run at once. */
    private void atMostNAcrossThreads(Workqueue wq, int n) throws Exception {
        int submitters = 4, per = n + 3, total = submitters * per;
        Semaphore started = new Semaphore(0), permits = new Semaphore(0);
        cleanups.add(() -> permits.release(10_000));
        AtomicInteger running = new AtomicInteger(), max = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        Runnable item = () -> {
            max.accumulateAndGet(running.incrementAndGet(), Math::max);
            started.release();
            try {
                if (!Workqueues.blocking(() -> permits.tryAcquire(MUST_HAPPEN_S, TimeUnit.SECONDS))) {
                    problems.add("item was never released");
                }
            } catch (Exception e) {
                problems.add("item: " + e);
            }
            running.decrementAndGet();
            done.countDown();
        };
        CyclicBarrier go = new CyclicBarrier(submitters);
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < submitters; t++) {
            int tid = t;
            Thread th = new Thread(() -> {
                try {
                    go.await(MUST_HAPPEN_S, TimeUnit.SECONDS);
                    for (int j = 0; j < per; j++) {
                        switch (j % 3) {
                            case 0 -> assertTrue(wq.queue(new Work(item)));
                            case 1 -> assertTrue(wq.queueOn(Cpus.cpuAt((tid + j) % Cpus.count()), new Work(item)));
                            default -> wq.execute(item);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "submitter-" + t);
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join(MUST_HAPPEN_S * 1000);
            assertFalse(th.isAlive(), th.getName() + " did not finish");
        }
        assertTrue(errors.isEmpty(), () -> "queueing failed: " + errors);
        assertTrue(started.tryAcquire(n, MUST_HAPPEN_S, TimeUnit.SECONDS), n + " items should start");
        assertNotWithin(started, "more than max_active " + n + " items started");
        assertEquals(n, running.get());
        for (int i = 0; i < total - n; i++) {
            permits.release();
            assertTrue(started.tryAcquire(1, MUST_HAPPEN_S, TimeUnit.SECONDS), "a waiting item should start when one finishes");
            assertTrue(running.get() <= n, "more than " + n + " running: " + running.get());
        }
        permits.release(n);
        await(done, "completion of all items");
        assertEquals(n, max.get(), "most items running at once");
        assertNoProblems();
    }

    private void dependencyChain(Workqueue wq, int length) throws InterruptedException {
        CountDownLatch[] link = new CountDownLatch[length];
        for (int i = 0; i < length; i++) {
            link[i] = gate();
        }
        CountDownLatch done = new CountDownLatch(length);
        for (int k = 0; k < length; k++) {
            int id = k;
            Work w = new Work(() -> {
                if (id > 0) {
                    link[id - 1].countDown();
                }
                if (id < length - 1) {
                    block(link[id], "chain item " + id + " of " + length + " (max_active " + wq.maxActive() + ")");
                }
                done.countDown();
            });
            assertTrue(k % 2 == 0 ? wq.queue(w) : wq.queueOn(Cpus.cpuAt(k % Cpus.count()), w));
        }
        await(done, "a dependency chain of " + length + " under max_active " + wq.maxActive());
        assertNoProblems();
    }

    private void oneAtATimeInOrder(Workqueue wq) throws Exception {
        assertTrue(wq.isOrdered(), wq + " should be ordered");
        int total = 300;
        AtomicInteger running = new AtomicInteger(), max = new AtomicInteger();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(total);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            int id = i;
            Runnable body = () -> {
                max.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(id);
                Thread.yield();
                running.decrementAndGet();
                done.countDown();
            };
            switch (i % 4) {
                case 0 -> assertTrue(wq.queue(new Work(body)));
                case 1 -> assertTrue(wq.queueOn(Cpus.cpuAt(i % Cpus.count()), new Work(body)));
                case 2 -> wq.execute(body);
                default -> futures.add(wq.submit(() -> {
                    body.run();
                    return id;
                }));
            }
        }
        await(done, "all ordered items");
        for (Future<Integer> f : futures) {
            try {
                f.get(MUST_HAPPEN_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                fail("ordered item failed", e);
            }
        }
        assertEquals(1, max.get(), "items of " + wq + " overlapped");
        synchronized (order) {
            assertEquals(IntStream.range(0, total).boxed().collect(Collectors.toList()), order, "run order of " + wq);
        }
    }

    private Workqueue perCpu(WorkqueueKind kind, int n) {
        Workqueue wq = track(kind.create("ma13-" + n));
        assertTrue(wq.flags().contains(WqFlag.PERCPU), kind + " should be per-CPU");
        if (wq.maxActive() != n) {
            wq.setMaxActive(n);
        }
        assertEquals(n, wq.maxActive());
        return wq;
    }

    private Workqueue unbound(WorkqueueKind kind, int n) {
        Workqueue wq = track(kind.create("ma14-" + n));
        assertTrue(wq.flags().contains(WqFlag.UNBOUND), kind + " should be unbound");
        wq.setMaxActive(n);
        assertEquals(n, wq.maxActive());
        return wq;
    }
}
