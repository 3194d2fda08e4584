package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Work#Work()}: a subclass that implements {@code Runnable} is its own function. */
class SelfRunningWorkTest {

    /** An item that is its own function, as a structure embedding a {@code work_struct}. */
    static final class Tick extends Work implements Runnable {
        final AtomicReference<Work> seenAsCurrent = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);

        @Override
        public void run() {
            seenAsCurrent.set(Work.current());
            ran.countDown();
        }
    }

    /** Extends Work but has no function. */
    static final class NoFunction extends Work {
    }

    @Test
    void aRunnableSubclassRunsItselfEachTimeItIsQueued() throws Exception {
        Workqueue wq = Workqueue.builder("self-running").build();
        try {
            Tick tick = new Tick();
            for (int i = 0; i < 2; i++) {
                tick.ran = new CountDownLatch(1);
                assertTrue(wq.queue(tick), "queued, run " + i);
                assertTrue(tick.ran.await(30, SECONDS), "ran, run " + i);
                assertSame(tick, tick.seenAsCurrent.get(), "the item running is the subclass itself");
                tick.flush();
            }
        } finally {
            wq.shutdown();
            assertTrue(wq.awaitTermination(30, SECONDS));
        }
    }

    /** Its function is itself: toString names the class rather than calling itself until the stack ends. */
    @Test
    void aSubclassThatRunsItselfPrintsWithoutRecursing() {
        Work w = new Tick();
        String s = assertDoesNotThrow(w::toString);
        assertTrue(s.contains(Tick.class.getName()), s);
    }

    @Test
    void aSubclassWithoutAFunctionIsRefusedByName() {
        IllegalStateException e = assertThrows(IllegalStateException.class, NoFunction::new);
        assertTrue(e.getMessage().contains(NoFunction.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("Work(Runnable)"), e.getMessage());
    }
}
