package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The busy-pool dump ({@code jwq dump}, the watchdog's report) lists a worker's item under the
 * pool lock and takes its stack after: a stack taken once the item has ended is of something
 * else and must not be shown as the item's (it showed an idle worker in {@code Worker.run} under
 * an item said to be sleeping).
 */
class PoolDumpTest {
    @AfterEach
    void noHook() {
        PoolDump.beforeStacks = null;
    }

    @Test
    void aStackIsShownOnlyWhileItsWorkerStillRunsTheListedItem() throws Exception {
        try (Workqueue wq = Workqueue.builder("dump-race").flags(WqFlag.UNBOUND).build()) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Work item = new Work(() -> {
                started.countDown();
                await(release);
            });
            wq.queue(item);
            assertTrue(started.await(30, TimeUnit.SECONDS));

            // Still running when the stacks are taken: shown, with the item's own frames.
            String running = PoolDump.busyPools();
            assertTrue(running.contains("[dump-race]"), running);
            assertTrue(running.contains("at " + PoolDumpTest.class.getName() + ".lambda$"), running);

            // Ended between the listing and the stacks (forced: the hook ends it and waits).
            PoolDump.beforeStacks = () -> {
                release.countDown();
                item.flush();
            };
            String ended = PoolDump.busyPools();
            assertTrue(ended.contains("[dump-race]"), "listed in flight when its pool was described: " + ended);
            assertTrue(ended.contains(": not shown, it finished that item while the dump was taken"), ended);
            assertFalse(ended.contains("at " + PoolDumpTest.class.getName() + ".lambda$"), ended);
        }
    }

    /**
     * A virtual worker's line names the carrier it runs on (jstack shows no virtual thread), and
     * its stack is shown while it runs there.
     */
    @Test
    void aVirtualWorkerIsShownWithTheCarrierItRunsOn() throws Exception {
        assumeTrue(WorkerModel.VIRTUAL, "virtual workers: java.lang open to jwq");
        AtomicBoolean stop = new AtomicBoolean();
        try (Workqueue wq = Workqueue.builder("dump-carrier").flags(WqFlag.UNBOUND).build()) {
            // Stopped before close(), which waits for the item.
            try {
                CountDownLatch started = new CountDownLatch(1);
                wq.queue(new Work(() -> {
                    started.countDown();
                    while (!stop.get()) {
                        Thread.onSpinWait(); // stays mounted
                    }
                }));
                assertTrue(started.await(30, TimeUnit.SECONDS));
                String d = PoolDump.busyPools();
                assertTrue(d.lines().anyMatch(l -> l.contains("[dump-carrier]") && l.matches(".* on jwq/c\\S+$")), d);
                // with its stack, taken while it runs on the carrier
                assertTrue(d.contains("at " + PoolDumpTest.class.getName() + ".lambda$aVirtualWorker"), d);
            } finally {
                stop.set(true);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
