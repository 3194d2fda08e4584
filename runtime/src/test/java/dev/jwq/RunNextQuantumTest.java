package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * A pwq of one active item whose item ends hands its slot to its next waiting item, which the
 * same worker runs next, ahead of the other workqueues' items on the pool's worklist, up to
 * {@link Worker#RUN_NEXT_LIMIT} in a row: one item per round of the worklist starved a busy
 * pool's ordered workqueues. The test fills one CPU's pool, whose single running worker makes
 * the order of runs exact.
 */
@Timeout(value = 60, unit = SECONDS)
class OrderedSlotRunsNextTest extends HeldItemFixture {

    @RepeatedTest(3)
    void theNextWaitingItemRunsBeforeOtherWorkqueuesItemsUpToTheLimit() throws Exception {
        Workqueue one = track(Workqueue.builder("one-active").flags(WqFlag.PERCPU).maxActive(1).build());
        Workqueue other = perCpu("others");
        AtomicBoolean queued = new AtomicBoolean(), gateRunning = new AtomicBoolean();
        cleanups.add(() -> queued.set(true));
        other.queueOn(cpu, new Work(() -> {
            gateRunning.set(true);
            spinUntil(queued);
        }));
        awaitTrue(gateRunning::get, "the gate item's start");
        int ones = Worker.RUN_NEXT_LIMIT + 3, others = 4;
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch allRan = new CountDownLatch(ones + others);
        // o0 takes the one slot and reaches the worklist before the other workqueue's items,
        // which are active at once; o1 and later wait for the slot.
        Work o0 = item("o0", order, allRan);
        assertTrue(one.queueOn(cpu, o0));
        awaitOnWorklist(o0);
        for (int i = 0; i < others; i++) {
            Work x = item("x" + i, order, allRan);
            assertTrue(other.queueOn(cpu, x));
            awaitOnWorklist(x);
        }
        for (int i = 1; i < ones; i++) {
            assertTrue(one.queueOn(cpu, item("o" + i, order, allRan)));
        }
        queued.set(true);
        await(allRan, "every item's run");
        List<String> expected = new ArrayList<>();
        // o0 from the worklist, then its successors run next, RUN_NEXT_LIMIT of them; then the
        // next one goes to the worklist's end, behind the other workqueue's items.
        for (int i = 0; i <= Worker.RUN_NEXT_LIMIT; i++) {
            expected.add("o" + i);
        }
        for (int i = 0; i < others; i++) {
            expected.add("x" + i);
        }
        for (int i = Worker.RUN_NEXT_LIMIT + 1; i < ones; i++) {
            expected.add("o" + i);
        }
        assertEquals(expected, order);
    }

    /** Waits until {@code w} is on its pool's worklist (activated; read racily, as dumps do). */
    private static void awaitOnWorklist(Work w) throws InterruptedException {
        awaitTrue(() -> w.pwq != null && w.list == w.pwq.pool.worklist, w + " on the pool worklist");
    }

    private static Work item(String name, List<String> order, CountDownLatch ran) {
        return new Work(() -> {
            order.add(name);
            ran.countDown();
        });
    }
}
