package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Lifecycle}: every step is taken once, and only forward. */
class LifecycleTest {
    @Test
    void stepsOnlyForward() {
        Lifecycle l = new Lifecycle();
        assertFalse(l.stop(), "STOP straight from RUNNING");
        assertFalse(l.terminate(), "TERMINATED while RUNNING");
        assertTrue(l.shutdown());
        assertFalse(l.shutdown(), "the step is taken once");
        assertTrue(l.stop());
        assertFalse(l.stop());
        assertTrue(l.terminate());
        assertFalse(l.terminate());
        assertFalse(l.shutdown());
        assertFalse(l.stop(), "a terminated workqueue does not stop again");
        assertEquals(Lifecycle.TERMINATED, l.get());
    }

    @Test
    void shutdownTerminatesWithoutStopping() {
        Lifecycle l = new Lifecycle();
        assertTrue(l.shutdown());
        assertTrue(l.terminate());
        assertFalse(l.stop(), "shutdownNow after termination leaves it terminated");
        assertEquals(Lifecycle.TERMINATED, l.get());
    }

    /**
     * shutdownNow's step to STOP races termination (the last item's end): released together by a
     * barrier, many times. A read-then-write stop ("if SHUTDOWN, write STOP") loses this race now
     * and then and turns TERMINATED back into STOP.
     */
    @Test
    void stopRacingTerminationNeverUndoesIt() throws Exception {
        int rounds = 20_000;
        CyclicBarrier go = new CyclicBarrier(2);
        Lifecycle[] states = new Lifecycle[rounds];
        for (int i = 0; i < rounds; i++) {
            states[i] = new Lifecycle();
            states[i].shutdown();
        }
        AtomicInteger terminatedBy = new AtomicInteger();
        Thread terminator = new Thread(() -> {
            for (Lifecycle l : states) {
                await(go);
                if (l.terminate()) {
                    terminatedBy.incrementAndGet();
                }
            }
        });
        terminator.start();
        for (Lifecycle l : states) {
            await(go);
            l.stop();
        }
        terminator.join();
        assertEquals(rounds, terminatedBy.get(), "every round terminated exactly once");
        for (int i = 0; i < rounds; i++) {
            assertEquals(Lifecycle.TERMINATED, states[i].get(), "round " + i + " left its terminated state");
        }
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
