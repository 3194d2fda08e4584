package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Load: 4 producer threads x 1,000,000 tiny tasks, spread round-robin over 50 workqueues (half
 * per-CPU, half unbound), in two identical rounds. Checks that every task runs exactly once
 * (a bitmap with atomic bit sets: 4 million bits = 500 KiB), that a second round leaves no more
 * worker threads behind than the first (no worker leak) and that the heap after a GC is not
 * larger after round 2 than after round 1 by more than 64 MiB (no memory leak).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LoadTest {
    static final int PRODUCERS = 4;
    static final int TASKS_PER_PRODUCER = 1_000_000;
    static final int TOTAL = PRODUCERS * TASKS_PER_PRODUCER;
    static final int WORKQUEUES = 50;
    static final long HEAP_MARGIN = 64L << 20;
    static final long AWAIT_SECONDS = 120;

    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);

    record Round(long millis, long workers, Map<String, Integer> workersByPool, long heapAfterGc) {}

    @Test
    void fourMillionTinyTasksOverFiftyWorkqueuesRunOnceAndLeakNothing() throws Exception {
        Map<String, Integer> before = workersByPool();
        Round r1 = round(1);
        long heap1 = usedHeapAfterGc(); // measured here, with every object of the round unreachable
        Round r2 = round(2);
        long heap2 = usedHeapAfterGc();
        r1 = new Round(r1.millis(), r1.workers(), r1.workersByPool(), heap1);
        r2 = new Round(r2.millis(), r2.workers(), r2.workersByPool(), heap2);
        System.out.printf("LoadTest: %d tasks over %d workqueues: round 1 %d ms (%.1f M tasks/s), round 2 %d ms (%.1f M tasks/s);"
                        + " jwq workers before %s, after round 1 %s, after round 2 %s; heap after GC: %d MiB, %d MiB%n",
                TOTAL, WORKQUEUES, r1.millis, TOTAL / 1e3 / r1.millis, r2.millis, TOTAL / 1e3 / r2.millis, before,
                r1.workersByPool, r2.workersByPool, r1.heapAfterGc >> 20, r2.heapAfterGc >> 20);
        // Idle workers stay until the idle timeout (300 s), so the count after a round is the peak
        // the pools needed so far; an unbound pool is not concurrency managed and its peak varies
        // a little from round to round (observed: +0..+3). A leak (threads per workqueue, workers
        // that never come back, a pool per workqueue) adds at least one per workqueue: 50.
        // No worker is left busy: every one is back idle in its pool (checked in round()).
        // An unbound pool, not concurrency managed, has a peak that varies from round to round
        // (observed growth 0..12 on 2 CPUs), and nothing retires before the idle timeout. A leak
        // adds at least one thread per (unbound) workqueue of the round: 25 or more.
        long slack = WORKQUEUES / 2 - 1;
        assertTrue(r2.workers <= r1.workers + slack, "worker threads grew by " + (r2.workers - r1.workers)
                + " (more than " + slack + ") between two identical rounds: " + r1.workersByPool + " after round 1, "
                + r2.workersByPool + " after round 2");
        assertTrue(r2.heapAfterGc <= r1.heapAfterGc + HEAP_MARGIN, "heap after GC grew by "
                + ((r2.heapAfterGc - r1.heapAfterGc) >> 20) + " MiB between two identical rounds");
    }

    private static Round round(int n) throws Exception {
        long start = System.nanoTime();
        Workqueue[] wqs = new Workqueue[WORKQUEUES];
        for (int i = 0; i < WORKQUEUES; i++) {
            Workqueue.Builder b = Workqueue.builder("load-r" + n + "-" + i);
            if (i % 2 == 1) {
                b.flags(WqFlag.UNBOUND);
            }
            wqs[i] = b.build();
        }
        long[] seen = new long[(TOTAL + 63) / 64];
        LongAdder ran = new LongAdder();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger firstDuplicate = new AtomicInteger(-1);
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        CyclicBarrier go = new CyclicBarrier(PRODUCERS);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int base = p * TASKS_PER_PRODUCER;
            Thread t = new Thread(() -> {
                try {
                    go.await(AWAIT_SECONDS, TimeUnit.SECONDS);
                    for (int j = 0; j < TASKS_PER_PRODUCER; j++) {
                        int task = base + j;
                        wqs[task % WORKQUEUES].execute(() -> {
                            long bit = 1L << (task & 63);
                            if (((long) BITS.getAndBitwiseOr(seen, task >>> 6, bit) & bit) != 0) {
                                duplicates.incrementAndGet();
                                firstDuplicate.compareAndSet(-1, task);
                            }
                            ran.increment();
                        });
                    }
                } catch (Throwable e) {
                    producerFailure.compareAndSet(null, e);
                }
            }, "load-producer-" + p);
            t.setDaemon(true);
            producers.add(t);
            t.start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        for (Thread t : producers) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            assertTrue(!t.isAlive(), t.getName() + " did not finish queueing within " + AWAIT_SECONDS + " s");
        }
        if (producerFailure.get() != null) {
            throw new AssertionError("a producer failed", producerFailure.get());
        }
        // close() = shutdown + wait; done by hand so that a broken runtime fails instead of hanging.
        for (Workqueue wq : wqs) {
            wq.shutdown();
        }
        for (Workqueue wq : wqs) {
            assertTrue(wq.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS),
                    wq + " did not terminate; ran " + ran.sum() + " of " + TOTAL);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(0, duplicates.get(), "tasks ran more than once, first: " + firstDuplicate.get());
        assertEquals(TOTAL, ran.sum(), "tasks run");
        int missing = 0, firstMissing = -1;
        for (int task = 0; task < TOTAL; task++) {
            if ((seen[task >>> 6] & (1L << (task & 63))) == 0) {
                if (missing++ == 0) {
                    firstMissing = task;
                }
            }
        }
        if (missing != 0) {
            fail(missing + " tasks never ran, first: " + firstMissing);
        }
        for (Workqueue wq : wqs) {
            assertTrue(wq.isTerminated());
        }
        assertAllWorkersIdle();
        Map<String, Integer> byPool = workersByPool();
        long workers = byPool.values().stream().mapToLong(Integer::longValue).sum();
        return new Round(millis, workers, byPool, 0);
    }

    /** Once every workqueue has terminated, every worker goes back idle: none is stuck or lost. */
    static void assertAllWorkersIdle() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        for (;;) {
            List<String> busy = new ArrayList<>();
            // Every pool's workers, platform or virtual (virtual threads are not in getAllStackTraces).
            for (WorkerPool p : Pools.all()) {
                p.lock.lock();
                try {
                    for (Worker w : p.workers) {
                        if (!w.idle || w.currentWork != null) {
                            busy.add(w.getName() + " " + w.thread.getState());
                        }
                    }
                } finally {
                    p.lock.unlock();
                }
            }
            if (busy.isEmpty()) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "workers still busy after every workqueue terminated: " + busy);
            Thread.onSpinWait();
        }
    }

    /** Live jwq worker threads ("jwq/3:1", "jwq/u8:2", "jwq/R-name"), counted per pool name prefix. */
    static Map<String, Integer> workersByPool() {
        Map<String, Integer> m = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive() && isWorkerName(name)) {
                int colon = name.indexOf(':');
                String pool = colon > 0 ? name.substring(0, colon) + (name.endsWith("H") ? "H" : "") : name;
                m.merge(pool, 1, Integer::sum);
            }
        }
        return m;
    }

    /**
     * A jwq worker or rescuer by its kworker-style name (DESIGN.md §3): {@code jwq/3:1},
     * {@code jwq/3:0H}, {@code jwq/u8:2}, {@code jwq/R-kblockd}; not the runtime's other
     * {@code jwq/} threads (monitor, timer, ...).
     */
    static boolean isWorkerName(String name) {
        return WORKER_NAME.matcher(name).matches();
    }

    private static final java.util.regex.Pattern WORKER_NAME = java.util.regex.Pattern.compile("jwq/(u?\\d+:\\d+H?|R-.+)");

    static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Runtime rt = Runtime.getRuntime(); // java.lang.management is not readable from module dev.jwq
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
