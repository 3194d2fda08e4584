package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.spi.WorkerBlocking;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The agent's blocking hooks are asked for only by a runtime whose workers are platform threads
 * ({@link WorkerBlocking#hooksNeeded()}); virtual workers learn of blocking from their carriers.
 * The suite runs over both worker models, so both answers are checked. One test: the starter
 * can be given once per JVM.
 */
class HookStarterTest {
    @Test
    void theStarterRunsOnceAndOnlyWhenPlatformWorkersAskForIt() throws Exception {
        Workqueue wq = Workqueue.builder("hook-starter").build(); // the pools exist: the runtime has spoken
        wq.shutdown();
        assertTrue(wq.awaitTermination(30, SECONDS));

        AtomicInteger started = new AtomicInteger();
        WorkerBlocking.whenHooksNeeded(started::incrementAndGet);
        assertEquals(WorkerModel.VIRTUAL ? 0 : 1, started.get(),
                "started iff the workers are platform threads (virtual: " + WorkerModel.VIRTUAL + ")");

        WorkerBlocking.hooksNeeded(); // asked (again): runs the starter if it has not run, never twice
        WorkerBlocking.hooksNeeded();
        assertEquals(1, started.get(), "the starter runs once");
        assertThrows(IllegalStateException.class, () -> WorkerBlocking.whenHooksNeeded(started::incrementAndGet),
                "a second starter");
    }
}
