package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thread footprint (DESIGN.md §1-2, the point of CMWQ): "200 workqueues with work in flight add
 * at most 2 threads per CPU plus those blocked". With one item in flight on each of 200 per-CPU
 * workqueues, each CPU's pool runs one item and keeps one spare worker; an item that blocks
 * lets one more worker in. The test counts jwq worker threads that did not exist before it,
 * while every item is known to be in flight (queued and not finished: the spinning items only
 * finish once a flag flips, the blocking ones once a latch opens). Workers left idle by earlier
 * test classes in the same JVM are reused rather than created, so the number of items running
 * at once (at most one per CPU plus the blocked ones) is checked as well.
 *
 * <p>An item that computes past the CPU-intensive threshold (10 ms) legitimately lets another
 * worker in, so the busy items here compute in slices of {@link #SLICE_NANOS} and re-queue
 * themselves until told to stop: always in flight, never CPU-intensive.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FootprintTest {
    static final int WORKQUEUES = 200;
    static final int BLOCKED = 5;
    static final long AWAIT_SECONDS = 30;
    /** One run of a busy item: well under the CPU-intensive threshold. */
    static final long SLICE_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    /** How long the thread count is watched while everything is in flight. */
    static final long OBSERVE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    @Test
    void twoHundredWorkqueuesWithCpuBusyWorkAddAtMostTwoThreadsPerCpu() throws Exception {
        run(0);
    }

    @Test
    void blockedItemsAddOneThreadEach() throws Exception {
        run(BLOCKED);
    }

    /**
     * One item per workqueue, item i queued on CPU i mod ncpu. The first {@code blocked} items
     * (queued first, so that they are the ones that start) wait on a latch; the others compute
     * in short slices, re-queueing themselves, until a flag flips.
     */
    private static void run(int blocked) throws Exception {
        int ncpu = Cpus.count();
        long bound = 2L * ncpu + blocked;
        Set<Thread> before = workers();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blockedEntered = new CountDownLatch(blocked);
        CountDownLatch spinnerOnEveryCpu = new CountDownLatch(ncpu);
        AtomicIntegerArray spinnerSeenOnCpu = new AtomicIntegerArray(ncpu);
        CountDownLatch finished = new CountDownLatch(WORKQUEUES);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS * 2);

        List<Workqueue> wqs = new ArrayList<>();
        List<Work> items = new ArrayList<>();
        for (int i = 0; i < WORKQUEUES; i++) {
            Workqueue wq = Workqueue.builder("footprint-" + i).flags(WqFlag.PERCPU).build();
            wqs.add(wq);
            int cpuIndex = i % ncpu;
            boolean blocks = i < blocked;
            Work[] self = new Work[1];
            AtomicBoolean startedOnce = new AtomicBoolean();
            self[0] = new Work(() -> {
                if (startedOnce.compareAndSet(false, true)) {
                    runs.incrementAndGet();
                }
                running.incrementAndGet();
                boolean requeued = false;
                try {
                    if (blocks) {
                        blockedEntered.countDown();
                        if (!release.await(AWAIT_SECONDS * 2, TimeUnit.SECONDS)) {
                            failures.incrementAndGet();
                        }
                    } else {
                        if (spinnerSeenOnCpu.getAndSet(cpuIndex, 1) == 0) {
                            spinnerOnEveryCpu.countDown();
                        }
                        long sliceEnd = System.nanoTime() + SLICE_NANOS;
                        while (!stop.get() && System.nanoTime() < sliceEnd) {
                            Thread.onSpinWait();
                        }
                        if (System.nanoTime() > giveUp) { // a failed test must not leave a CPU busy
                            failures.incrementAndGet();
                        } else if (!stop.get()) {
                            // Chained: runs again after this slice, on this CPU's pool.
                            requeued = wq.queue(self[0]);
                            if (!requeued) {
                                failures.incrementAndGet();
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    failures.incrementAndGet();
                } finally {
                    running.decrementAndGet();
                    if (!requeued) {
                        finished.countDown();
                    }
                }
            });
            items.add(self[0]);
        }
        int maxNew = 0, maxRunning = 0;
        Set<String> newNames = new TreeSet<>();
        try {
            // The first item of each CPU goes first and is seen running before the others are
            // queued, so that they are queued behind a running worker. (Queued all at once
            // before any worker runs, the pool is never watched and a blocked first item stalls
            // it: see the test below.)
            for (int i = 0; i < ncpu; i++) {
                assertTrue(wqs.get(i).queueOn(Cpus.cpuAt(i), items.get(i)), "queue of item " + i);
            }
            long dl = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
            while (runs.get() < ncpu) {
                if (System.nanoTime() > dl) {
                    fail("the first item of every CPU did not start\n" + dumpJwqThreads());
                }
                Thread.onSpinWait();
            }
            for (int i = ncpu; i < WORKQUEUES; i++) {
                assertTrue(wqs.get(i).queueOn(Cpus.cpuAt(i % ncpu), items.get(i)), "queue of item " + i);
            }
            if (!blockedEntered.await(AWAIT_SECONDS, TimeUnit.SECONDS)) {
                fail(blockedEntered.getCount() + " of the " + blocked + " blocking items never started\n" + dumpJwqThreads());
            }
            if (!spinnerOnEveryCpu.await(AWAIT_SECONDS, TimeUnit.SECONDS)) {
                fail("no spinning item started on " + spinnerOnEveryCpu.getCount() + " CPU(s)\n" + dumpJwqThreads());
            }
            // Everything is in flight now and stays so until we flip the flag and open the latch:
            // nothing can finish. Watch the thread count for a while.
            assertEquals(WORKQUEUES, finished.getCount(), "an item finished early");
            long end = System.nanoTime() + OBSERVE_NANOS;
            do {
                Set<Thread> now = workers();
                now.removeAll(before);
                if (now.size() > maxNew) {
                    maxNew = now.size();
                    newNames.clear();
                    now.forEach(t -> newNames.add(t.getName()));
                }
                maxRunning = Math.max(maxRunning, running.get());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            } while (System.nanoTime() < end);
            assertEquals(WORKQUEUES, finished.getCount(), "an item finished early");
        } finally {
            stop.set(true);
            release.countDown();
        }
        assertTrue(finished.await(AWAIT_SECONDS, TimeUnit.SECONDS), finished.getCount() + " items never finished");
        for (Workqueue wq : wqs) {
            wq.shutdown();
        }
        for (Workqueue wq : wqs) {
            assertTrue(wq.awaitTermination(AWAIT_SECONDS, TimeUnit.SECONDS), wq + " did not terminate");
        }
        System.out.printf("FootprintTest: %d per-CPU workqueues on %d CPU(s), %d blocked item(s): at most %d new jwq"
                        + " worker(s) %s (bound %d), at most %d item(s) running at once%n",
                WORKQUEUES, ncpu, blocked, maxNew, newNames, bound, maxRunning);
        assertEquals(0, failures.get(), "items timed out or were interrupted");
        assertEquals(WORKQUEUES, runs.get(), "runs");
        // Order-independent twin of the thread count (workers left idle by earlier tests in this JVM
        // are reused, not created): one item runs per CPU, plus the blocked ones.
        assertTrue(maxRunning <= ncpu + blocked, maxRunning + " items ran at once; concurrency management allows one per CPU ("
                + ncpu + ") plus the " + blocked + " blocked");
        assertTrue(maxNew <= bound, WORKQUEUES + " workqueues with work in flight added " + maxNew + " worker threads "
                + newNames + ", more than 2 per CPU (" + ncpu + " CPUs) + " + blocked + " blocked = " + bound);
    }

    /**
     * Guarantee 16 ("when a running item blocks, another pending item starts"), in the case the
     * footprint test above stumbled on: every item of a CPU's pool is queued before its worker
     * takes the first one. Here the pool's lock is held while two items are queued, which makes
     * that order certain: item B (blocks on a latch) and item C. C must start while B blocks.
     */
    @Test
    void aBlockedItemLetsThePendingOneStartEvenIfBothWereQueuedBeforeAWorkerRan() throws Exception {
        int cpuIndex = 0;
        WorkerPool pool = Pools.bound(cpuIndex, false);
        Workqueue wq = Workqueue.builder("footprint-stall").flags(WqFlag.PERCPU).build();
        CountDownLatch bEntered = new CountDownLatch(1), release = new CountDownLatch(1), cRan = new CountDownLatch(1);
        AtomicBoolean bTimedOut = new AtomicBoolean();
        Work b = new Work(() -> {
            bEntered.countDown();
            try {
                bTimedOut.set(!release.await(AWAIT_SECONDS * 2, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                bTimedOut.set(true);
            }
        });
        Work c = new Work(cRan::countDown);
        // Start from a pool the monitor does not watch (it drops a pool once its worklist is empty).
        long dl = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        for (;;) {
            pool.lock.lock();
            try {
                if (!pool.isWatched() && pool.worklist.isEmpty()) {
                    // Still holding the lock: no worker can take an item before both are queued.
                    assertTrue(wq.queueOn(Cpus.cpuAt(cpuIndex), b));
                    assertTrue(wq.queueOn(Cpus.cpuAt(cpuIndex), c));
                    break;
                }
            } finally {
                pool.lock.unlock();
            }
            assertTrue(System.nanoTime() < dl, pool + " stays watched with an empty worklist");
            Thread.onSpinWait();
        }
        boolean started;
        try {
            assertTrue(bEntered.await(AWAIT_SECONDS, TimeUnit.SECONDS), "B never started");
            started = cRan.await(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
        }
        String dump = started ? "" : dumpJwqThreads();
        assertTrue(cRan.await(AWAIT_SECONDS, TimeUnit.SECONDS), "C never ran, even after B returned");
        wq.shutdown();
        assertTrue(wq.awaitTermination(AWAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(!bTimedOut.get());
        assertTrue(started, "item C did not start in 10 s while item B of the same per-CPU pool was blocked on a latch"
                + " (both queued before a worker ran: the PoolMonitor was never asked to watch " + pool + ")\n" + dump);
    }

    /** Stack traces of the runtime's threads, for failure messages. */
    static String dumpJwqThreads() {
        StringBuilder sb = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("jwq/")) {
                sb.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
                for (int i = 0; i < Math.min(stack.length, 12); i++) {
                    sb.append("    at ").append(stack[i]).append('\n');
                }
            }
        });
        return sb.toString();
    }

    /** The live jwq worker threads (see {@link LoadTest#isWorkerName}). */
    static Set<Thread> workers() {
        Set<Thread> s = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && LoadTest.isWorkerName(t.getName())) {
                s.add(t);
            }
        }
        return s;
    }
}
