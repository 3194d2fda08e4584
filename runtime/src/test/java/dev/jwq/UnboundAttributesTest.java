package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwq.cpu.ThreadStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Changing an unbound workqueue's attributes at run time ({@code apply_workqueue_attrs}): new
 * items go to new pool workqueues on the pools of the new attributes while the old ones drain
 * and are then released; max_active, flush, non-reentrancy and an ordered workqueue's order
 * hold across the change.
 */
class UnboundAttributesTest extends WorkqueueFixture {

    /** The pool of the worker running the caller's item. */
    private static WorkerPool currentPool() {
        return Worker.current().pool;
    }

    /** Queues an item that reports the pool it ran in. */
    private static WorkerPool poolOfNextItem(Workqueue wq) throws Exception {
        CompletableFuture<WorkerPool> seen = new CompletableFuture<>();
        wq.execute(() -> seen.complete(currentPool()));
        return seen.get(MUST_HAPPEN_S, TimeUnit.SECONDS);
    }

    /**
     * Waits (bounded) until the retired pwqs of {@code wq} have been released, which takes them
     * off its list (a release runs on the timer thread once a retired pwq's last item ends).
     */
    private static void awaitRetiredReleased(Workqueue wq, int pwqsLeft) throws InterruptedException {
        awaitTrue(() -> wq.pwqs().size() <= pwqsLeft, "the release of " + wq.name() + "'s retired pwqs (" + pwqsLeft + " left)");
    }

    private static int refcount(WorkerPool p) {
        synchronized (Pools.class) {
            return p.refcount;
        }
    }

    @Test
    void attributesReadBackAsBuiltWithTheScopeResolved() {
        Workqueue wq = track(Workqueue.builder("attrs-read").flags(WqFlag.UNBOUND, WqFlag.HIGHPRI)
                .affinityScope(AffinityScope.DEFAULT, true).build());
        UnboundAttributes a = wq.unboundAttributes();
        assertTrue(a.highPriority());
        assertTrue(a.strict());
        assertEquals(Settings.CURRENT.defaultAffinityScope(), a.affinityScope());
        assertEquals(Cpus.usableCpus(), a.cpus());
        Workqueue ordered = track(Workqueue.builder("attrs-ordered").ordered().build());
        assertEquals(AffinityScope.SYSTEM, ordered.unboundAttributes().affinityScope());
    }

    @Test
    void badAttributesAreRefusedWithTheProblemNamed() {
        Workqueue percpu = track(Workqueue.builder("attrs-percpu").flags(WqFlag.PERCPU).build());
        IllegalStateException e = assertThrows(IllegalStateException.class, percpu::unboundAttributes);
        assertTrue(e.getMessage().contains("attrs-percpu is per-CPU"), e.getMessage());
        Workqueue wq = track(Workqueue.builder("attrs-bad").flags(WqFlag.UNBOUND).build());
        UnboundAttributes a = wq.unboundAttributes();
        assertThrows(IllegalStateException.class, () -> percpu.applyAttributes(a));
        assertThrows(NullPointerException.class, () -> wq.applyAttributes(null));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> a.withCpus(Set.of()));
        assertTrue(empty.getMessage().contains("cpus is empty"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.withCpus(Set.of(-1)));
        int unusable = Cpus.cpuAt(Cpus.count() - 1) + 1;
        IllegalArgumentException notUsable = assertThrows(IllegalArgumentException.class,
                () -> wq.applyAttributes(a.withCpus(Set.of(unusable))));
        assertTrue(notUsable.getMessage().contains("CPUs [" + unusable + "] are not usable"), notUsable.getMessage());
        Workqueue ordered = track(Workqueue.builder("attrs-bad-ordered").ordered().build());
        IllegalArgumentException scope = assertThrows(IllegalArgumentException.class,
                () -> ordered.applyAttributes(ordered.unboundAttributes().withAffinityScope(AffinityScope.CPU)));
        assertTrue(scope.getMessage().contains("is ordered"), scope.getMessage());
        wq.shutdown();
        IllegalStateException shut = assertThrows(IllegalStateException.class, () -> wq.applyAttributes(a.withStrict(true)));
        assertTrue(shut.getMessage().contains("shut down"), shut.getMessage());
        assertEquals(a, wq.unboundAttributes(), "a refused change changes nothing");
    }

    @Test
    void applyingTheSameAttributesKeepsThePwqs() {
        Workqueue wq = track(Workqueue.builder("attrs-same").flags(WqFlag.UNBOUND).build());
        List<PoolWorkqueue> before = List.copyOf(wq.pwqs());
        wq.applyAttributes(wq.unboundAttributes().withAffinityScope(AffinityScope.DEFAULT));
        assertEquals(before, List.copyOf(wq.pwqs()));
    }

    /**
     * An item runs in the old pool while the priority changes; the next one runs in a
     * high-priority pool; the old pwq stays until its item ends, then it is released and its
     * pool reference dropped.
     */
    @Test
    void newItemsGoToTheNewPoolWhileTheOldPwqDrainsAndIsThenReleased() throws Exception {
        Workqueue wq = track(Workqueue.builder("attrs-move").flags(WqFlag.UNBOUND).affinityScope(AffinityScope.SYSTEM, false)
                .build());
        PoolWorkqueue oldPwq = wq.pwqs().get(0);
        WorkerPool oldPool = oldPwq.pool;
        int oldRefs = refcount(oldPool);
        CompletableFuture<WorkerPool> firstRanIn = new CompletableFuture<>();
        Harness.HeldRun<Work> old = h.runHeld(wq);
        old.run.then(() -> firstRanIn.complete(currentPool()));

        wq.applyAttributes(wq.unboundAttributes().withHighPriority(true));
        WorkerPool newPool = poolOfNextItem(wq);
        assertTrue(newPool.highPri, "an item queued after the change runs in a high-priority pool: " + newPool);
        assertNotSame(oldPool, newPool);
        assertTrue(wq.pwqs().contains(oldPwq), "the old pwq lives while its item runs");
        assertEquals(oldRefs, refcount(oldPool), "the old pwq keeps its pool reference while its item runs");

        old.release();
        assertSame(oldPool, firstRanIn.get(MUST_HAPPEN_S, TimeUnit.SECONDS), "the old item finished where it started");
        // Off the list first, then the pool reference dropped: wait for the last step.
        awaitTrue(() -> refcount(oldPool) == oldRefs - 1, "the old pwq's pool reference dropped");
        assertFalse(wq.pwqs().contains(oldPwq), "the old pwq released");
        assertNoProblems();
    }

    /** An idle workqueue's old pwqs are released at once; counters survive them. */
    @Test
    void countersKeepTheItemsOfReleasedPwqs() throws Exception {
        Workqueue wq = track(Workqueue.builder("attrs-counters").flags(WqFlag.UNBOUND).build());
        for (int i = 0; i < 5; i++) {
            poolOfNextItem(wq);
        }
        wq.flush();
        List<PoolWorkqueue> old = List.copyOf(wq.pwqs());
        wq.applyAttributes(wq.unboundAttributes().withStrict(!wq.unboundAttributes().strict()));
        for (PoolWorkqueue pwq : old) {
            assertFalse(wq.pwqs().contains(pwq), "an idle retired pwq is released by the change itself");
        }
        poolOfNextItem(wq);
        wq.flush();
        assertEquals(6, wq.counters().completed);
        assertEquals(6, wq.counters().started);
    }

    /**
     * max_active counts across old and new pwqs: with max_active 2 taken by two items of the old
     * pwq, an item queued after the change waits on the new pwq's inactive list, and starts when
     * one of the old ones ends.
     */
    @Test
    void maxActiveCountsAcrossOldAndNewPwqs() throws Exception {
        Workqueue wq = track(Workqueue.builder("attrs-max").flags(WqFlag.UNBOUND).affinityScope(AffinityScope.SYSTEM, false)
                .maxActive(2).build());
        CountDownLatch third = new CountDownLatch(1);
        Harness.HeldRun<Work> old1 = h.runHeld(wq);
        h.runHeld(wq); // old 2, held to the end
        wq.applyAttributes(wq.unboundAttributes().withHighPriority(true));
        wq.execute(third::countDown);
        PoolWorkqueue newPwq = wq.pwqs().get(wq.pwqs().size() - 1);
        newPwq.pool.lock.lock();
        try {
            assertEquals(0, newPwq.nrActive, "the new item must wait: both slots are taken by the old pwq");
            assertEquals(1, newPwq.inactive.size());
        } finally {
            newPwq.pool.lock.unlock();
        }
        old1.release();
        await(third, "the new item to start once an old one ended");
        assertNoProblems();
    }

    /**
     * flush() waits for the items of retired pwqs too: with the new pwq's item done and the old
     * one's still held, a flush waits; it returns once the old item ends.
     */
    @Test
    void flushWaitsForItemsOfRetiredPwqs() throws Exception {
        Workqueue wq = track(Workqueue.builder("attrs-flush").flags(WqFlag.UNBOUND).build());
        Harness.HeldRun<Work> old = h.runHeld(wq);
        wq.applyAttributes(wq.unboundAttributes().withHighPriority(true));
        poolOfNextItem(wq);
        Harness.Async<Boolean> flush = h.async("flush", () -> {
            wq.flush();
            return old.run.hasFinished();
        });
        flush.awaitWaiting("flush with an old item held");
        old.release();
        assertTrue(flush.get("flush"), "flush returned before the old pwq's item ended");
        assertNoProblems();
    }

    /**
     * An item still running in a retired pwq and queued again goes to that pwq, so that it never
     * runs twice at once (non-reentrancy), even though new items go elsewhere.
     */
    @Test
    void anItemRunningInARetiredPwqIsQueuedBehindItself() throws Exception {
        Workqueue wq = track(Workqueue.builder("attrs-reentry").flags(WqFlag.UNBOUND).maxActive(4).build());
        Harness.HeldRun<Work> held = h.runHeld(wq);
        Harness.Step first = held.run, second = held.script.next();
        Work w = held.work;
        wq.applyAttributes(wq.unboundAttributes().withHighPriority(true));
        assertTrue(wq.queue(w), "queued again while running");
        second.assertNotStartedWithin("the second run must wait for the first");
        first.release();
        second.awaitFinished();
        assertEquals(Harness.poolOf(first.thread), Harness.poolOf(second.thread), "both runs in the old pool");
        h.assertNoFailures();
    }

    /**
     * An ordered workqueue keeps its order across a change: with A running and B1, B2 waiting in
     * the old pwq, C queued after the change runs after B2 (the new pwq is plugged until the old
     * one drains; without that, the slot A frees would go round robin and C overtake B2).
     */
    @RepeatedTest(20)
    void anOrderedWorkqueueKeepsItsOrderAcrossAChange() throws Exception {
        Workqueue wq = track(Workqueue.builder("attrs-ordered-run").ordered().build());
        Queue<String> order = new ConcurrentLinkedQueue<>();
        AtomicInteger inside = new AtomicInteger();
        CountDownLatch allDone = new CountDownLatch(4);
        Harness.HeldRun<Work> a = h.runHeld(wq);
        a.run.then(() -> {
            order.add("A");
            allDone.countDown();
        });
        for (String name : List.of("B1", "B2")) {
            wq.execute(() -> {
                if (inside.incrementAndGet() != 1) {
                    problems.add(name + " overlapped another item");
                }
                order.add(name);
                inside.decrementAndGet();
                allDone.countDown();
            });
        }
        wq.applyAttributes(wq.unboundAttributes().withHighPriority(true));
        wq.execute(() -> {
            order.add("C");
            allDone.countDown();
        });
        a.release();
        await(allDone, "all four items");
        assertEquals(List.of("A", "B1", "B2", "C"), List.copyOf(order));
        assertNoProblems();
    }

    /**
     * Queueing races changes of attributes: producers queue numbered items while the main thread
     * flips the attributes back and forth; every item runs exactly once and, on an ordered
     * workqueue, each producer's items run in order, one at a time.
     */
    @RepeatedTest(5)
    void itemsQueuedDuringChangesAllRunOnceAndAnOrderedWorkqueueKeepsOrder() throws Exception {
        for (boolean orderedWq : new boolean[] {false, true}) {
            Workqueue.Builder b = Workqueue.builder("attrs-race-" + orderedWq);
            Workqueue wq = track((orderedWq ? b.ordered() : b.flags(WqFlag.UNBOUND)).build());
            int producers = 2, perProducer = 2000;
            int[][] runs = new int[producers][perProducer];
            int[] lastSeen = {-1, -1};
            AtomicInteger inside = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(producers * perProducer);
            CyclicBarrier start = new CyclicBarrier(producers + 1);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perProducer; i++) {
                            int item = i;
                            wq.execute(() -> {
                                if (orderedWq) {
                                    if (inside.incrementAndGet() != 1) {
                                        problems.add("ordered items overlapped");
                                    }
                                    if (lastSeen[producer] != item - 1) {
                                        problems.add("producer " + producer + ": item " + item + " after " + lastSeen[producer]);
                                    }
                                    lastSeen[producer] = item;
                                    inside.decrementAndGet();
                                }
                                synchronized (runs) {
                                    runs[producer][item]++;
                                }
                                done.countDown();
                            });
                        }
                    } catch (Exception e) {
                        problems.add("producer " + producer + ": " + e);
                    }
                }, "producer-" + p);
                t.start();
                threads.add(t);
            }
            start.await();
            UnboundAttributes a = wq.unboundAttributes();
            for (int i = 0; done.getCount() > 0 && i < 200; i++) {
                wq.applyAttributes(a.withHighPriority(i % 2 == 0));
            }
            for (Thread t : threads) {
                t.join(MUST_HAPPEN_S * 1000);
            }
            await(done, "every item of " + wq.name());
            synchronized (runs) {
                for (int p = 0; p < producers; p++) {
                    for (int i = 0; i < perProducer; i++) {
                        assertEquals(1, runs[p][i], wq.name() + ": producer " + p + " item " + i + " ran " + runs[p][i] + " times");
                    }
                }
            }
            wq.flush();
            awaitRetiredReleased(wq, 1);
        }
        assertNoProblems();
    }

    /** A strict single-CPU change confines the new items' worker to that CPU. */
    @Test
    void changingTheCpusConfinesNewItemsToThem() throws Exception {
        assumeTrue(Cpus.count() >= 2 && ThreadStatus.available() && Settings.CURRENT.pin(), "needs two CPUs and pinning");
        Workqueue wq = track(Workqueue.builder("attrs-cpus").flags(WqFlag.UNBOUND).build());
        int cpu = Cpus.cpuAt(1);
        wq.applyAttributes(wq.unboundAttributes().withCpus(Set.of(cpu)).withStrict(false));
        CompletableFuture<String> seen = new CompletableFuture<>();
        wq.queueOn(Cpus.cpuAt(0), new Work(() -> seen.complete(ThreadStatus.allowedList())));
        assertEquals(String.valueOf(cpu), seen.get(MUST_HAPPEN_S, TimeUnit.SECONDS),
                "a non-strict pool's workers run on the workqueue's CPUs");
        assertEquals(Set.of(cpu), wq.unboundAttributes().cpus());
    }

    /** Closing after changes drops every pool reference the workqueue took. */
    @Test
    void closeAfterChangesReleasesEveryPool() throws Exception {
        Workqueue wq = Workqueue.builder("attrs-close").flags(WqFlag.UNBOUND, WqFlag.HIGHPRI)
                .affinityScope(AffinityScope.CPU, true).build();
        Harness.HeldRun<Work> held = h.runHeld(wq);
        wq.applyAttributes(wq.unboundAttributes().withStrict(false));
        List<WorkerPool> pools = new ArrayList<>();
        wq.pwqs().forEach(p -> pools.add(p.pool)); // the new pwqs and the retired one still busy
        assertEquals(Cpus.count() + 1, pools.size(), "one new pwq per CPU pod, and the retired one still busy: " + pools);
        int[] before = pools.stream().mapToInt(UnboundAttributesTest::refcount).toArray();
        Harness.Async<Boolean> close = h.async("close", () -> {
            wq.close();
            return true;
        });
        close.awaitWaiting("close with an item held");
        held.release();
        assertTrue(close.get("close"));
        for (int i = 0; i < pools.size(); i++) {
            assertEquals(before[i] - 1, refcount(pools.get(i)), "pool " + pools.get(i) + " keeps a reference of a closed workqueue");
        }
        assertNoProblems();
    }
}
