package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 20: frozen FREEZABLE workqueues start no new items; thawing runs the backlog in
 * order; {@code freezeBusy()} reports items started before the freeze until they end.
 */
class FreezeGuaranteesTest {
    private static final long WAIT_S = 10;

    @AfterEach
    void thawAlways() {
        Workqueues.thaw();
    }

    @Test
    void frozenWorkqueueStartsNothingAndThawRunsTheBacklogInOrder() throws Exception {
        try (Workqueue frozen = Workqueue.builder("freezable").flags(WqFlag.PERCPU, WqFlag.FREEZABLE).build();
             Workqueue plain = Workqueue.builder("plain").flags(WqFlag.PERCPU).build()) {
            Workqueues.freeze();
            List<Integer> order = new CopyOnWriteArrayList<>();
            CountDownLatch backlogDone = new CountDownLatch(5);
            for (int i = 0; i < 5; i++) {
                int k = i;
                assertTrue(frozen.queueOn(Cpus.cpuAt(0), new Work(() -> {
                    order.add(k);
                    backlogDone.countDown();
                })), "queueing succeeds while frozen");
            }
            // The same CPU's pool keeps running other workqueues' items: once this one has run,
            // the frozen items would have run before it had they been activated (FIFO worklist).
            CountDownLatch plainRan = new CountDownLatch(1);
            plain.queueOn(Cpus.cpuAt(0), new Work(plainRan::countDown));
            assertTrue(plainRan.await(WAIT_S, TimeUnit.SECONDS));
            plain.flush();
            assertEquals(List.of(), order, "nothing of a frozen workqueue starts");
            assertFalse(Workqueues.freezeBusy(), "nothing was active at the freeze");
            Workqueues.thaw();
            assertTrue(backlogDone.await(WAIT_S, TimeUnit.SECONDS), "thaw runs the backlog");
            assertEquals(List.of(0, 1, 2, 3, 4), order, "in queueing order");
        }
    }

    @Test
    void freezeBusyUntilItemsStartedBeforeTheFreezeEnd() throws Exception {
        try (Workqueue wq = Workqueue.builder("freezable-busy").flags(WqFlag.FREEZABLE).build()) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            wq.execute(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(started.await(WAIT_S, TimeUnit.SECONDS));
            Workqueues.freeze();
            assertTrue(Workqueues.freezeBusy(), "an item started before the freeze is still running");
            release.countDown();
            wq.flush(); // the started item may finish while frozen
            assertFalse(Workqueues.freezeBusy(), "busy ends with the item");
        }
    }

    @Test
    void workqueuesCreatedWhileFrozenStartFrozenAndOthersAreNotAffected() throws Exception {
        Workqueues.freeze();
        try (Workqueue late = Workqueue.builder("late-freezable").flags(WqFlag.FREEZABLE).build();
             Workqueue plain = Workqueue.builder("not-freezable").build()) {
            CountDownLatch lateRan = new CountDownLatch(1);
            late.execute(lateRan::countDown);
            CountDownLatch plainRan = new CountDownLatch(1);
            plain.execute(plainRan::countDown);
            assertTrue(plainRan.await(WAIT_S, TimeUnit.SECONDS), "a workqueue without FREEZABLE runs while frozen");
            plain.flush();
            assertEquals(1, lateRan.getCount(), "a FREEZABLE workqueue created while frozen starts frozen");
            Workqueues.thaw();
            assertTrue(lateRan.await(WAIT_S, TimeUnit.SECONDS));
        }
    }
}
