package dev.jwq.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.WqFlag;
import dev.jwq.Workqueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** WorkCounts.running counts a workqueue's items while they run, and only those: not the pending ones, not other workqueues'. */
class RunningWorkTest {

    @ParameterizedTest
    @EnumSource(value = WqFlag.class, names = {"UNBOUND", "PERCPU"})
    void countsTheItemsRunningNowAndNotThePendingOnes(WqFlag kind) throws Exception {
        Workqueue wq = Workqueue.builder("running-work-" + kind).flags(kind).maxActive(2).build();
        Workqueue other = Workqueue.builder("running-work-other-" + kind).flags(kind).build();
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        Runnable blocker = () -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            assertEquals(0, WorkCounts.running(wq));
            // Queued by a worker of the same kind: a per-CPU workqueue's max_active holds per CPU,
            // and a worker queues on its own CPU (an outside thread's items go to idle CPUs).
            Workqueue launcher = Workqueue.builder("running-work-launcher-" + kind).flags(kind).build();
            launcher.execute(() -> {
                wq.execute(blocker);
                wq.execute(blocker);
                wq.execute(() -> { }); // past max_active: pending while the two block
            });
            launcher.shutdown();
            assertTrue(launcher.awaitTermination(10, TimeUnit.SECONDS), "the launcher queued the three");
            other.execute(blocker);
            assertTrue(started.await(10, TimeUnit.SECONDS), "the blockers started");
            assertEquals(2, WorkCounts.running(wq), "the two blockers, not the pending item");
            assertEquals(1, WorkCounts.running(other));
        } finally {
            release.countDown();
        }
        wq.flush();
        other.flush();
        assertEquals(0, WorkCounts.running(wq));
        assertEquals(0, WorkCounts.running(other));
        wq.shutdown();
        other.shutdown();
        assertTrue(wq.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(other.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(0, WorkCounts.running(wq), "a terminated workqueue runs nothing");
    }
}
