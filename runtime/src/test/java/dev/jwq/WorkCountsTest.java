package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.spi.OnTermination;
import dev.jwq.spi.WorkCounts;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a workqueue counts for an executor built over it ({@link WorkCounts}, {@link OnTermination}):
 * the counts hold while workers pass slots on without the lock, where the pwq's own counters lag
 * (completed items are added at the streak's end) or run ahead (a passed slot owes its unit, a
 * chained item shares its queuer's), and the termination action runs once, off the engine's locks.
 */
@Timeout(value = 60, unit = SECONDS)
class WorkCountsTest extends WorkqueueFixture {

    /**
     * X holds the only slot while A and B queue behind it and C, last, blocks: X's end passes
     * the slot on to A, B and C without the lock. While C blocks, one item is in flight and
     * three finished.
     */
    @Test
    void countsHoldDuringAStreakOfPasses() throws Exception {
        Workqueue wq = track(Workqueue.builder("counts-streak").maxActive(1).build());
        CountDownLatch xStarted = new CountDownLatch(1), xGo = gate(), cStarted = new CountDownLatch(1), cGo = gate();
        AtomicInteger passesAtC = new AtomicInteger(-1);
        wq.execute(() -> {
            xStarted.countDown();
            block(xGo, "X");
        });
        await(xStarted, "X's start");
        wq.execute(() -> { });
        wq.execute(() -> { });
        wq.execute(() -> {
            passesAtC.set(Worker.current().passesSinceLock());
            cStarted.countDown();
            block(cGo, "C");
        });
        assertEquals(4, WorkCounts.inFlight(wq));
        assertEquals(0, WorkCounts.completed(wq));
        xGo.countDown();
        await(cStarted, "C's start");
        assertTrue(passesAtC.get() > 0, "C did not start by a pass: the test proves nothing");
        assertEquals(1, WorkCounts.inFlight(wq), "C alone in flight (" + passesAtC.get() + " passes)");
        assertEquals(3, WorkCounts.completed(wq), "X, A and B finished (" + passesAtC.get() + " passes)");
        cGo.countDown();
        wq.shutdown();
        assertTrue(wq.awaitTermination(MUST_HAPPEN_S, SECONDS));
        assertEquals(0, WorkCounts.inFlight(wq));
        assertEquals(4, WorkCounts.completed(wq));
    }

    /** An item that has chained one: two in flight, though the chained one shares its queuer's unit (lent). */
    @Test
    void aChainedItemSharingItsQueuersUnitCounts() throws Exception {
        int cpu = Cpus.cpuAt(0);
        Workqueue wq = track(Workqueue.builder("counts-lent").flags(WqFlag.PERCPU).maxActive(4).build());
        CountDownLatch nextRan = new CountDownLatch(1);
        AtomicBoolean lent = new AtomicBoolean();
        AtomicInteger counted = new AtomicInteger(-1);
        wq.queueOn(cpu, new Work(() -> {
            wq.queueOn(cpu, new Work(nextRan::countDown));
            Worker w = Worker.current();
            lent.set(w.holds() && w.currentPwq.nrInFlightTotal() == 1); // as LentUnitTest sees a lend
            counted.set(WorkCounts.inFlight(wq));
        }));
        await(nextRan, "the chained item");
        assertTrue(lent.get(), "the chained item got a unit of its own: the test proves nothing");
        assertEquals(2, counted.get());
        wq.shutdown();
        assertTrue(wq.awaitTermination(MUST_HAPPEN_S, SECONDS));
        assertEquals(2, WorkCounts.completed(wq));
    }

    /**
     * The action runs once, after the workqueue terminated, as an item of the system unbound
     * workqueue with no pool lock held (the last item's end, which terminates the workqueue,
     * holds its pool's lock); one registered after the termination runs too; a second one
     * while the first waits is refused.
     */
    @Test
    void theTerminationActionRunsOnceOffTheLastItemsThread() throws Exception {
        Workqueue wq = track(Workqueue.builder("counts-termination").build());
        CountDownLatch go = gate(), ran = new CountDownLatch(1);
        AtomicReference<Workqueue> ranOn = new AtomicReference<>();
        AtomicBoolean underPoolLock = new AtomicBoolean(true);
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Boolean> terminatedThen = new AtomicReference<>();
        wq.execute(() -> block(go, "the last item"));
        OnTermination.register(wq, () -> {
            terminatedThen.set(wq.isTerminated());
            Worker me = Worker.current();
            ranOn.set(me.currentPwq.wq);
            underPoolLock.set(me.pool.isLocked());
            runs.incrementAndGet();
            ran.countDown();
        });
        assertThrows(IllegalStateException.class, () -> OnTermination.register(wq, () -> { }));
        wq.shutdown();
        go.countDown();
        await(ran, "the termination action");
        assertTrue(terminatedThen.get(), "ran before the termination");
        assertSame(Workqueues.unbound(), ranOn.get());
        assertFalse(underPoolLock.get(), "ran under its worker's pool lock");
        CountDownLatch late = new CountDownLatch(1);
        OnTermination.register(wq, late::countDown);
        await(late, "an action registered after the termination");
        assertEquals(1, runs.get());
    }
}
