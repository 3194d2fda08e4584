package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.timer.Timer;
import java.lang.reflect.Field;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The release of a retired pwq ({@code PwqSet}'s releaser, armed when its last item ends) runs
 * on the shared wheel's thread, which never waits for a pool lock: the carrier watch, a timer on
 * the same wheel, is what compensates a pinned carrier whose virtual worker holds one. It needs
 * the workqueue mutex, whose holders wait for pool locks, and the retired pwq's pool lock. The
 * tests hold one or the other (standing for a holder that waits long) while the releaser fires,
 * check that a timer due after it (standing for the carrier watch) still fires, that nothing was
 * released without the lock, and that the release is done once the lock is let go.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReleaserBusyLockTest extends WorkqueueFixture {
    /** How long the probe may take: a wheel thread parked for the lock never runs it. */
    private static final long PROBE_WAIT_S = 5;

    @Test
    void theReleaserComesBackLaterInsteadOfWaitingForTheWorkqueueMutex() throws Exception {
        Workqueue wq = track(Workqueue.builder("releaser-mutex").flags(WqFlag.UNBOUND)
                .affinityScope(AffinityScope.SYSTEM, false).build());
        Retiring r = retireBusyPwq(wq, wq.unboundAttributes().withHighPriority(true));
        ReentrantLock mutex = mutex(wq);
        mutex.lock();
        try {
            r.endItemAndAwaitReleaser();
            assertProbeFires("the workqueue mutex");
            assertFalse(mutex.hasQueuedThreads(), "a thread queued for the workqueue mutex");
            assertTrue(wq.pwqs().contains(r.pwq), "the retired pwq was released without the workqueue mutex");
        } finally {
            mutex.unlock();
        }
        awaitTrue(() -> !wq.pwqs().contains(r.pwq), "the release, once the workqueue mutex was free");
        assertNoProblems();
    }

    @Test
    void theReleaserComesBackLaterInsteadOfWaitingForTheRetiredPwqsPoolLock() throws Exception {
        // A pool of its own (CPU 0 only, strict, high priority): the release drops its last
        // reference, so it is destroyed under its lock by the releaser too.
        Workqueue wq = track(Workqueue.builder("releaser-pool").flags(WqFlag.UNBOUND).build());
        wq.applyAttributes(wq.unboundAttributes().withAffinityScope(AffinityScope.SYSTEM)
                .withCpus(Set.of(Cpus.cpuAt(0))).withStrict(true).withHighPriority(true));
        Retiring r = retireBusyPwq(wq, wq.unboundAttributes().withHighPriority(false));
        WorkerPool pool = r.pwq.pool;
        assertEquals(1, refcount(pool), "another workqueue uses " + pool + ": the release would not destroy it");
        ReentrantLock mutex = mutex(wq);
        mutex.lock();
        boolean mutexHeld = true;
        try {
            // The mutex holds the releaser off until the pool lock is held too: then it gets the
            // mutex and finds the pool busy.
            r.endItemAndAwaitReleaser();
            pool.lock();
            try {
                mutex.unlock();
                mutexHeld = false;
                assertProbeFires("the retired pwq's pool lock");
                assertTrue(wq.pwqs().contains(r.pwq), "the retired pwq was released without its pool lock");
                assertFalse(pool.isDying(), "the pool was destroyed without its lock");
            } finally {
                pool.unlock();
            }
        } finally {
            if (mutexHeld) {
                mutex.unlock();
            }
        }
        awaitTrue(() -> !wq.pwqs().contains(r.pwq), "the release, once the pool lock was free");
        assertEquals(0, refcount(pool), "the released pwq's pool reference was not dropped");
        awaitTrue(() -> {
            pool.lock();
            try {
                return pool.isDying();
            } finally {
                pool.unlock();
            }
        }, "the pool's destruction once it lingered unused (Pools.LINGER_NANOS)");
        assertNoProblems();
    }

    /** A pwq retired while its item runs, held inside its function until {@link #endItemAndAwaitReleaser}. */
    private record Retiring(PoolWorkqueue pwq, CountDownLatch gate, Timer releaser) {
        /**
         * Lets the item end (its end arms the releaser, with no delay) and waits until the
         * releaser has been armed: then a timer armed later than a tick from now fires after it.
         */
        void endItemAndAwaitReleaser() throws InterruptedException {
            gate.countDown();
            awaitTrue(() -> pwq.nrInFlightTotal() == 0 && (releaser.isArmed() || releaser.isFiring()),
                    "the retired pwq's last item to end and arm the releaser");
        }
    }

    /** Runs an item of {@code wq}, held, then applies {@code attrs}: its pwq is retired while busy. */
    private Retiring retireBusyPwq(Workqueue wq, UnboundAttributes attrs) throws Exception {
        assertEquals(1, wq.pwqs().size(), "one pwq to retire");
        PoolWorkqueue pwq = wq.pwqs().get(0);
        CountDownLatch started = new CountDownLatch(1), gate = gate();
        wq.execute(() -> {
            started.countDown();
            block(gate, "the retired pwq's item");
        });
        await(started, "the item's start");
        wq.applyAttributes(attrs);
        assertTrue(pwq.retired && wq.pwqs().contains(pwq), "the busy pwq is retired and kept");
        Field f = PwqSet.class.getDeclaredField("releaser");
        f.setAccessible(true);
        return new Retiring(pwq, gate, (Timer) f.get(wq.pwqs));
    }

    /**
     * Arms a timer 20 ms out (20 ticks after the releaser, due within one) and asserts that it
     * fires, which it does only once the releaser's run has returned.
     */
    private static void assertProbeFires(String lock) throws InterruptedException {
        WheelProbe.assertFires(20, PROBE_WAIT_S, "a timer due after the releaser never fired: the wheel thread waits for " + lock);
    }

    private static ReentrantLock mutex(Workqueue wq) throws ReflectiveOperationException {
        Field f = Workqueue.class.getDeclaredField("mutex");
        f.setAccessible(true);
        return (ReentrantLock) f.get(wq);
    }

    private static int refcount(WorkerPool p) {
        synchronized (Pools.class) {
            return p.refcount;
        }
    }
}
