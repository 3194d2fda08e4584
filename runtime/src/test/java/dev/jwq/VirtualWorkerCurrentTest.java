package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Worker#current()} on virtual workers: found through the carrier the worker runs on,
 * and, where the carrier cannot be known ({@link VirtualThreadAccess#currentCarrier()} null) or
 * is not one of ours, through the thread-local the worker registered, the same worker; a
 * virtual thread that is no worker has none either way.
 */
class VirtualWorkerCurrentTest {
    private static final long WAIT_SECONDS = 10;

    @Test
    void aVirtualWorkerIsFoundThroughItsCarrierAndWithoutIt() throws Exception {
        Workqueue wq = Workqueue.builder("virtual-current").build();
        try {
            List<Object> seen = CompletableFuture.supplyAsync(() -> {
                Thread t = Thread.currentThread();
                Thread carrier = VirtualThreadAccess.currentCarrier();
                return Arrays.<Object>asList(t, carrier, Worker.current(), Worker.ofVirtual(t, carrier),
                        Worker.ofVirtual(t, null), Worker.ofVirtual(t, Thread.currentThread()));
            }, wq).get(WAIT_SECONDS, TimeUnit.SECONDS);
            Thread t = (Thread) seen.get(0);
            if (!t.isVirtual()) {
                return; // platform workers here (jwq.workers=platform): nothing virtual to find
            }
            assertInstanceOf(CarrierThread.class, seen.get(1), "a virtual worker runs on a carrier of ours");
            Worker w = (Worker) seen.get(2);
            assertNotNull(w);
            assertSame(t, w.thread);
            assertSame(w, seen.get(3), "through the carrier");
            assertSame(w, seen.get(4), "carrier unknown: the thread-local");
            assertSame(w, seen.get(5), "a carrier not ours: the thread-local");
        } finally {
            wq.shutdown();
            assertTrue(wq.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void aVirtualThreadThatIsNoWorkerHasNone() throws Exception {
        Object[] seen = new Object[2];
        Thread t = Thread.ofVirtual().start(() -> {
            seen[0] = Worker.current();
            seen[1] = Worker.ofVirtual(Thread.currentThread(), null);
        });
        t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertEquals(Thread.State.TERMINATED, t.getState());
        assertNull(seen[0]);
        assertNull(seen[1]);
    }
}
