package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An item's instance counts are ints that wrap (Work, "Flush"): flush and cancelSync compare
 * them as differences, so an item queued past 2^31 instances is still waited for. The counts
 * start just below the wrap, and each round a flush must wait for the running instance, which
 * holds until the test has seen the flush still waiting.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkSeqWrapTest {
    private static final VarHandle COUNTS, QUEUED_SEQ, DONE_SEQ;

    static {
        try {
            COUNTS = MethodHandles.privateLookupIn(Work.class, MethodHandles.lookup())
                    .findVarHandle(Work.class, "counts", FlushCounts.class);
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(FlushCounts.class, MethodHandles.lookup());
            QUEUED_SEQ = l.findVarHandle(FlushCounts.class, "queuedSeq", int.class);
            DONE_SEQ = l.findVarHandle(FlushCounts.class, "doneSeq", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void flushWaitsForTheRunningInstanceAcrossTheWrapOfItsCounts() throws Exception {
        Workqueue wq = Workqueue.builder("seq-wrap").build();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch[] release = new CountDownLatch[1];
        CountDownLatch[] running = new CountDownLatch[1];
        Work w = new Work(() -> {
            runs.incrementAndGet();
            running[0].countDown();
            try {
                release[0].await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        FlushCounts counts = new FlushCounts(Integer.MAX_VALUE - 2);
        DONE_SEQ.setVolatile(counts, Integer.MAX_VALUE - 2);
        COUNTS.setVolatile(w, counts); // as if queued that often: the first queue uses these

        try {
            for (int round = 0; round < 5; round++) {
                running[0] = new CountDownLatch(1);
                release[0] = new CountDownLatch(1);
                assertTrue(wq.queue(w), "round " + round + ": not queued");
                assertTrue(running[0].await(10, TimeUnit.SECONDS), "round " + round + ": did not run");
                CountDownLatch flushed = new CountDownLatch(1);
                Thread flusher = new Thread(() -> {
                    w.flush();
                    flushed.countDown();
                }, "seq-wrap-flusher");
                flusher.start();
                // A flush that misreads the wrapped counts returns at once; a correct one waits
                // for the release below. (A bounded look for something that must not happen.)
                assertFalse(flushed.await(200, TimeUnit.MILLISECONDS), "round " + round
                        + ": flush returned while the instance still ran (queued " + QUEUED_SEQ.getVolatile(counts)
                        + ", done " + DONE_SEQ.getVolatile(counts) + ")");
                release[0].countDown();
                assertTrue(flushed.await(10, TimeUnit.SECONDS), "round " + round + ": flush never returned");
                flusher.join();
            }
            assertEquals(5, runs.get());
            assertTrue((int) QUEUED_SEQ.getVolatile(counts) < 0, "the counts did not wrap");
        } finally {
            if (release[0] != null) {
                release[0].countDown();
            }
            wq.shutdown();
            assertTrue(wq.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
