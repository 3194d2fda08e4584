package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker that goes idle releases the pool lock and then parks, and a kick in between chooses
 * it (the most recent idle worker) and unparks it once; the pool wakes no other worker while
 * that one is on its way. If the unpark is taken by another park on the way (the worker's own
 * unlock can kick it and then wait for a pwq's consumer's turn), the worker must still not park:
 * otherwise it sleeps for good and every item behind the kick waits forever. Found as a lockup
 * of twin-cached chains on virtual workers; forced here with the worker held between its unlock
 * and its decision to park, its unpark taken there by a park of its own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleParkWakeTest extends WorkqueueFixture {

    @Test
    void aWorkerAKickChoseDoesNotParkWhenItsUnparkWasTakenOnTheWay() throws Exception {
        // A pool of its own (CPU 0 only, strict, high priority): no other test's workers in it.
        Workqueue wq = track(Workqueue.builder("idle-park").flags(WqFlag.UNBOUND).build());
        wq.applyAttributes(wq.unboundAttributes().withAffinityScope(AffinityScope.SYSTEM)
                .withCpus(Set.of(Cpus.cpuAt(0))).withStrict(true).withHighPriority(true));
        AtomicReference<WorkerPool> pool = new AtomicReference<>();
        CountDownLatch first = new CountDownLatch(1);
        wq.queue(new Work(() -> {
            pool.set(Worker.current().pool);
            first.countDown();
        }));
        await(first, "the first item");
        WorkerPool p = pool.get();
        awaitTrue(() -> allIdle(p), "every worker of the pool idle");

        AtomicReference<Worker> held = new AtomicReference<>();
        CountDownLatch inHook = new CountDownLatch(1);
        CountDownLatch kicked = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean(true);
        Worker.beforeIdlePark = w -> {
            if (w.pool != p || !armed.compareAndSet(true, false)) {
                return;
            }
            held.set(w);
            inHook.countDown();
            awaitUninterruptibly(kicked);
            LockSupport.parkNanos(1); // takes the kick's unpark if the wait above left it
        };
        try {
            CountDownLatch woke = new CountDownLatch(1);
            wq.queue(new Work(woke::countDown)); // a worker runs it, goes idle and stops in the hook
            await(woke, "the item that sends a worker to the hook");
            await(inHook, "a worker of the pool between its unlock and its park");
            Worker w = held.get();

            CountDownLatch second = new CountDownLatch(1);
            wq.queue(new Work(second::countDown));
            // The queuer's kick chose the held worker (it went idle last) and unparked it.
            awaitTrue(() -> p.isWaking(w), "a kick choosing the held worker");
            kicked.countDown();
            await(second, "the item queued while its worker went idle (a worker parked for good?)");
        } finally {
            Worker.beforeIdlePark = null;
            kicked.countDown();
        }
        assertNoProblems();
    }

    private static boolean allIdle(WorkerPool p) {
        p.lock();
        try {
            return p.nrIdle() == p.workers.size() && p.worklist.isEmpty();
        } finally {
            p.unlock();
        }
    }

    /** On the worker: waits for the test's go-ahead, bounded (a failed test lets the worker go on). */
    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await(MUST_HAPPEN_S, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
