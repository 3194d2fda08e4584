package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The run state only moves forward (RUNNING, SHUTDOWN, STOP, TERMINATED): {@code shutdownNow}'s
 * SHUTDOWN -&gt; STOP step races the termination that the last item's end triggers, and must never
 * turn a TERMINATED workqueue back into a stopping one.
 */
class RunStateRaceTest {
    private static final int ROUNDS = 100;

    @Test
    void shutdownNowRacingTheLastItemsEndNeverUndoesTermination() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Workqueue wq = Workqueue.builder("runstate-race-" + round).build();
            CountDownLatch running = new CountDownLatch(1);
            CyclicBarrier go = new CyclicBarrier(2);
            wq.execute(() -> {
                running.countDown();
                try {
                    go.await(); // released together with shutdownNow()
                } catch (Exception e) {
                    // interrupted by shutdownNow: end now, which is the race we want too
                }
            });
            assertTrue(running.await(10, TimeUnit.SECONDS), "the item never started");
            wq.shutdown();
            Thread stopper = new Thread(() -> {
                try {
                    go.await();
                } catch (Exception ignored) {
                    // the item was interrupted first: shutdownNow still races its end
                }
                wq.shutdownNow();
            });
            stopper.start();
            stopper.join();
            assertTrue(wq.awaitTermination(10, TimeUnit.SECONDS), "round " + round + ": never terminated");
            assertTrue(wq.isTerminated(), "round " + round + ": awaitTermination returned true but isTerminated() is false");
        }
    }
}
