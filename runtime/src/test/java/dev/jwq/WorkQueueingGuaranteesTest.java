package dev.jwq;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guarantees 1-4 of DESIGN §3a: queueing a work item.
 *
 * <ol>
 * <li>{@code queue} twice before it runs: {@code true} then {@code false}, and the item runs once.
 * <li>An item that re-queues itself while running: {@code queue} returns {@code true} and the next
 *     run starts only after this one returns, on the same pool; never two at once.
 * <li>An item still running on pool A, queued again from another CPU, is routed to A and never
 *     overlaps itself.
 * <li>Stores made before a {@code queue} that returned {@code true} are visible to the item.
 * </ol>
 *
 * <p>"Before it runs" is made certain, not likely: the previous run of the item is held inside its
 * function, and a new instance cannot start until that run returns (guarantee 2), so whatever is
 * queued meanwhile stays pending for as long as the test needs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkQueueingGuaranteesTest extends WorkqueueFixture {
    /* ------------------------------------------------------------------------------------------
     * 1. queue twice before it runs: true then false, and the item runs once
     * ------------------------------------------------------------------------------------------ */

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void queueingTwiceBeforeItRunsReturnsTrueThenFalseAndRunsOnce(WorkqueueKind kind) throws Exception {
        Workqueue wq = h.create(kind, "g1-twice");
        Harness.HeldRun<Work> holder = h.runHeld(wq);
        Harness.Script s = holder.script;
        Work w = holder.work;
        Harness.Step queuedTwice = s.next();
        // The item runs and is held there: nothing is pending, and nothing queued now can start.
        assertFalse(w.isPending());
        assertTrue(wq.queue(w), "queue of an item that is not pending");
        assertTrue(w.isPending());
        assertFalse(wq.queue(w), "queue of an item that is already pending");
        for (int cpu : Harness.usableCpus()) {
            assertFalse(wq.queueOn(cpu, w), "queueOn(" + cpu + ") of an item that is already pending");
        }
        assertFalse(h.call("queue from another thread", () -> wq.queue(w)), "queue from another thread of a pending item");
        assertTrue(w.isPending());
        assertFalse(queuedTwice.hasFinished());

        holder.release();
        queuedTwice.awaitFinished();
        s.assertNoFurtherRunWithin();
        assertEquals(2, s.runs(), "runs: the held one, then the one queued twice");
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void racingQueueCallsOnOneItemSucceedExactlyOnceEachTime(WorkqueueKind kind) throws Exception {
        final int rounds = 200, racers = 4;
        Workqueue wq = h.create(kind, "g1-race");
        int[] cpus = Harness.usableCpus();
        Harness.Script s = h.script();
        Work w = new Work(s);
        Harness.Step[] runs = new Harness.Step[rounds + 1];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = s.held();
        }
        AtomicIntegerArray wins = new AtomicIntegerArray(rounds);
        CyclicBarrier go = new CyclicBarrier(racers + 1), done = new CyclicBarrier(racers + 1);
        List<Harness.Async<Void>> threads = new ArrayList<>();
        for (int r = 0; r < racers; r++) {
            int id = r;
            threads.add(h.async("racer-" + r, () -> {
                for (int round = 0; round < rounds; round++) {
                    go.await(MUST_HAPPEN_S, SECONDS);
                    boolean won = id % 2 == 0 ? wq.queue(w) : wq.queueOn(cpus[(id / 2) % cpus.length], w);
                    if (won) {
                        wins.incrementAndGet(round);
                    }
                    done.await(MUST_HAPPEN_S, SECONDS);
                }
                return null;
            }));
        }

        assertTrue(wq.queue(w));
        for (int round = 0; round < rounds; round++) {
            // Run `round` is held: nothing is pending, and what the racers queue cannot start yet.
            runs[round].awaitStarted();
            go.await(MUST_HAPPEN_S, SECONDS);
            done.await(MUST_HAPPEN_S, SECONDS);
            assertEquals(1, wins.get(round), "queue calls that returned true in round " + round);
            assertTrue(w.isPending());
            runs[round].release();
        }
        runs[rounds].awaitStarted();
        runs[rounds].release();
        runs[rounds].awaitFinished();
        for (Harness.Async<Void> t : threads) {
            t.get("racer");
        }
        s.assertNoFurtherRunWithin();
        assertEquals(rounds + 1, s.runs());
    }

    /* ------------------------------------------------------------------------------------------
     * 2. re-queued by itself: true, and the next run starts after this one returns, same pool
     * ------------------------------------------------------------------------------------------ */

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void itemRequeuedByItselfRunsAgainOnlyAfterItReturnsOnTheSamePool(WorkqueueKind kind) throws Exception {
        final int runs = 6;
        Workqueue wq = h.create(kind, "g2-self");
        AtomicInteger count = new AtomicInteger(), inside = new AtomicInteger();
        CountDownLatch[] started = IntStream.range(0, runs + 2).mapToObj(i -> new CountDownLatch(1)).toArray(CountDownLatch[]::new);
        List<Boolean> requeued = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicReference<Work> self = new AtomicReference<>();
        Work w = new Work(h.checked(() -> {
            if (inside.getAndIncrement() != 0) {
                h.fail("two runs at once");
            }
            int n = count.incrementAndGet();
            try {
                Work me = Work.current();
                assertSame(self.get(), me, "Work.current() in the item");
                assertFalse(me.isPending(), "PENDING must be cleared before the callback");
                threads.add(Thread.currentThread().getName());
                started[Math.min(n, runs + 1)].countDown();
                if (n < runs) {
                    requeued.add(wq.queue(me));
                    // Invite the pool to start the queued instance now: this worker declares it
                    // blocks, so another worker is woken for the pending item. That instance must
                    // still wait for this run to return.
                    if (Workqueues.blocking(() -> started[n + 1].await(20, MILLISECONDS))) {
                        h.fail("run " + (n + 1) + " started before run " + n + " returned");
                    }
                }
            } finally {
                inside.decrementAndGet();
            }
        }));
        self.set(w);

        assertTrue(wq.queue(w));
        await(started[runs], "run " + runs);
        assertNotWithin(started[runs + 1], "ran more often than it queued itself");
        h.flush(w);
        assertEquals(Collections.nCopies(runs - 1, true), requeued, "queue() from the item's own run");
        assertEquals(runs, count.get());
        assertEquals(1, threads.stream().map(Harness::poolOf).distinct().count(), "pools of the runs: " + threads);
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void itemRequeueingItselfThousandsOfTimesNeverOverlaps(WorkqueueKind kind) throws Exception {
        final int runs = 2000;
        Workqueue wq = h.create(kind, "g2-stress");
        int[] cpus = Harness.usableCpus();
        AtomicInteger count = new AtomicInteger(), inside = new AtomicInteger(), overlaps = new AtomicInteger(), refused = new AtomicInteger();
        Set<String> pools = ConcurrentHashMap.newKeySet();
        CountDownLatch last = new CountDownLatch(1), extra = new CountDownLatch(1);
        Work w = new Work(h.checked(() -> {
            if (inside.getAndIncrement() != 0) {
                overlaps.incrementAndGet();
            }
            int n = count.incrementAndGet();
            pools.add(Harness.poolOf(Thread.currentThread().getName()));
            // Every other time on a CPU given explicitly: a running item still goes to its own pool.
            if (n < runs && !(n % 2 == 0 ? wq.queue(Work.current()) : wq.queueOn(cpus[n / 2 % cpus.length], Work.current()))) {
                refused.incrementAndGet();
            }
            inside.decrementAndGet();
            if (n == runs) {
                last.countDown();
            } else if (n > runs) {
                extra.countDown();
            }
        }));

        assertTrue(wq.queue(w));
        await(last, "run " + runs);
        assertNotWithin(extra, "ran more often than it queued itself");
        assertEquals(0, overlaps.get(), "runs that started while another was inside");
        assertEquals(0, refused.get(), "queue() from the running item that returned false");
        assertEquals(1, pools.size(), "pools: " + pools);
    }

    /* ------------------------------------------------------------------------------------------
     * 3. running on pool A, queued from another CPU: routed to A, never overlaps
     * ------------------------------------------------------------------------------------------ */

    @ParameterizedTest
    @EnumSource(value = WorkqueueKind.class, names = "ORDERED", mode = EnumSource.Mode.EXCLUDE)
    void itemQueuedFromAnotherCpuWhileRunningIsRoutedToItsPool(WorkqueueKind kind) throws Exception {
        int[] cpus = Harness.usableCpus();
        assumeTrue(cpus.length >= 2, "needs two usable CPUs, has " + Arrays.toString(cpus));
        Workqueue wq = h.create(kind, "g3-route");
        boolean perCpu = wq.flags().contains(WqFlag.PERCPU);
        String suffix = wq.flags().contains(WqFlag.HIGHPRI) ? "H" : "";
        Harness.Script s = h.script();
        Work w = new Work(s);

        for (int i = 0; i < 20; i++) {
            int cpuA = cpus[i % 2], cpuB = cpus[(i + 1) % 2];
            Harness.Step first = s.held(), second = s.held();
            assertTrue(wq.queueOn(cpuA, w));
            first.awaitStarted();
            if (perCpu) {
                assertTrue(first.thread.matches("jwq/" + cpuA + ":\\d+" + suffix), "queueOn(" + cpuA + ") ran on " + first.thread);
            }
            assertTrue(wq.queueOn(cpuB, w), "queue of an item that runs but is not pending");
            if (i < 2) {
                // Had it gone to cpuB's pool it would start there now, next to the held first run.
                second.assertNotStartedWithin("second run started while the first runs, on " + second.thread);
            }
            first.release();
            second.awaitStarted();
            assertEquals(Harness.poolOf(first.thread), Harness.poolOf(second.thread),
                    "queued from CPU " + cpuB + " while running on " + first.thread + ", it ran on " + second.thread);
            if (perCpu) {
                assertTrue(second.thread.matches("jwq/" + cpuA + ":\\d+" + suffix), "second run on " + second.thread);
            }
            second.release();
            h.flush(w); // fully finished: the next round's queueOn(cpuA) is not routed anywhere
        }
        s.assertNoFurtherRunWithin();
        assertEquals(40, s.runs());
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void itemQueuedFromTwoCpusAtOnceNeverOverlapsItself(WorkqueueKind kind) throws Exception {
        final int targetRuns = 1000;
        int[] cpus = Harness.usableCpus();
        assumeTrue(cpus.length >= 2, "needs two usable CPUs, has " + Arrays.toString(cpus));
        Workqueue wq = h.create(kind, "g3-race");
        AtomicInteger inside = new AtomicInteger(), overlaps = new AtomicInteger(), runs = new AtomicInteger(), queued = new AtomicInteger();
        Work w = new Work(() -> {
            if (inside.getAndIncrement() != 0) {
                overlaps.incrementAndGet();
            }
            runs.incrementAndGet();
            long until = System.nanoTime() + 20_000; // a short computation: a window for a second run
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            inside.decrementAndGet();
        });
        CyclicBarrier start = new CyclicBarrier(2);
        List<Harness.Async<Void>> queuers = new ArrayList<>();
        for (int q = 0; q < 2; q++) {
            int cpu = cpus[q];
            queuers.add(h.async("queuer-" + cpu, () -> {
                start.await(MUST_HAPPEN_S, SECONDS);
                long deadline = System.nanoTime() + SECONDS.toNanos(MUST_HAPPEN_S);
                while (runs.get() < targetRuns) {
                    if (wq.queueOn(cpu, w)) {
                        queued.incrementAndGet();
                    }
                    assertTrue(System.nanoTime() - deadline < 0, "timed out waiting for " + targetRuns + " runs");
                }
                return null;
            }));
        }
        for (Harness.Async<Void> q : queuers) {
            q.get("queuer");
        }
        h.flush(w);
        assertEquals(0, overlaps.get(), "runs that started while another run was inside");
        assertEquals(queued.get(), runs.get(), "runs vs queue() calls that returned true");
    }

    /* ------------------------------------------------------------------------------------------
     * 4. stores before a successful queue are visible to the item
     * ------------------------------------------------------------------------------------------ */

    /** Filled by the test thread with plain (non-volatile, non-final) stores only. */
    static final class Payload {
        int seq;
        long twice;
        int[] cells = new int[8];
        String label;
    }

    /** Plain fields the test thread writes and the item reads. */
    static final class Mailbox {
        Payload payload;
        int seq;
        int value;
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void storesBeforeQueueAreVisibleToTheItem(WorkqueueKind kind) throws Exception {
        final int handoffs = 2000;
        Workqueue wq = h.create(kind, "g4-handoff");
        int[] cpus = Harness.usableCpus();
        Mailbox box = new Mailbox();
        AtomicInteger seen = new AtomicInteger();
        Semaphore ran = new Semaphore(0);
        Work w = new Work(h.checked(() -> {
            int seq = box.seq;
            Payload p = box.payload;
            if (p == null || p.seq != seq || p.twice != 2L * seq || p.cells[seq & 7] != seq || !("p" + seq).equals(p.label)) {
                h.fail("run for seq " + seq + " saw a stale or partly published payload");
            }
            seen.set(seq);
            ran.release();
        }));

        for (int i = 1; i <= handoffs; i++) {
            Payload p = new Payload();
            p.seq = i;
            p.twice = 2L * i;
            p.cells[i & 7] = i;
            p.label = "p" + i;
            box.payload = p;
            box.seq = i;
            assertTrue(i % 3 == 0 ? wq.queue(w) : wq.queueOn(cpus[i % cpus.length], w), "queue " + i);
            acquire(ran, 1, "run " + i);
            assertEquals(i, seen.get(), "the value stored before queue " + i);
        }
        h.assertNoFailures();
    }

    @ParameterizedTest
    @EnumSource(WorkqueueKind.class)
    void storesBeforeASuccessfulQueueAreVisibleWhileTheWriterKeepsWriting(WorkqueueKind kind) throws Exception {
        final int writes = 20_000;
        Workqueue wq = h.create(kind, "g4-racy");
        int[] cpus = Harness.usableCpus();
        Mailbox box = new Mailbox();
        AtomicInteger runs = new AtomicInteger();
        AtomicIntegerArray observed = new AtomicIntegerArray(writes);
        Work w = new Work(() -> observed.set(runs.getAndIncrement(), box.value));

        // The writer never waits for the item: each successful queue k must be followed by a run
        // that sees at least the value written just before queue k (runs start in queue order,
        // one at a time, since a queue succeeds only once the previous run has started).
        int[] queuedAt = new int[writes];
        int queued = 0;
        for (int i = 1; i <= writes; i++) {
            box.value = i;
            if (wq.queueOn(cpus[i % cpus.length], w)) {
                queuedAt[queued++] = i;
            }
        }
        h.flush(w);
        assertEquals(queued, runs.get(), "runs vs successful queue calls");
        for (int k = 0; k < queued; k++) {
            int k1 = k;
            assertTrue(observed.get(k) >= queuedAt[k],
                    () -> "run " + k1 + " saw " + observed.get(k1) + ", stored before its queue: " + queuedAt[k1]);
        }
    }
}
