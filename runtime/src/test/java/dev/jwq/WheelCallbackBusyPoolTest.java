package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwq.timer.Timer;
import dev.jwq.timer.TimerWheel;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared wheel's callbacks that need a pool lock never wait for it. The holder may be a
 * virtual worker whose carrier another worker pins; only the carrier watch, a timer on the same
 * wheel, compensates the pin, so a wheel thread parked for the pool lock stops it, and every
 * other timer, for as long as the pin lasts. The test holds a pool's lock (standing for that
 * holder) while the pool's idle-cull or mayday timer, or a delayed item's timer, fires, and
 * checks that a timer armed to fire after it (standing for the carrier watch) still fires, and
 * that the deferred cull, mayday timeout or queueing is done once the lock is let go.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WheelCallbackBusyPoolTest {
    /** How long the probe may take: a wheel thread parked for the pool lock never runs it. */
    private static final long PROBE_WAIT_S = 5;

    @Test
    void theIdleCullComesBackLaterInsteadOfWaitingForThePoolLock() throws Exception {
        WorkerPool pool = new WorkerPool(90_002, Cpus.cpuAt(0), false);
        // Three idle workers (never started), idle for longer than the timeout: one is surplus.
        List<Worker> workers = new ArrayList<>();
        pool.lock();
        try {
            for (int i = 0; i < 3; i++) {
                Worker w = new Worker(pool, i, "cull-test-" + i);
                workers.add(w);
                pool.workers.add(w);
                pool.enterIdle(w); // the third arms the cull timer, a timeout away
            }
            long longAgo = System.nanoTime() - WorkerPool.IDLE_TIMEOUT_NANOS - TimeUnit.SECONDS.toNanos(1);
            for (Worker w : workers) {
                w.lastActive = longAgo;
            }
        } finally {
            pool.unlock();
        }
        Timer idleTimer = timer(pool, "idleTimer");
        try {
            firesWhileThePoolLockIsHeld(pool, idleTimer);
            assertTrue(await(() -> underLock(pool, () -> workers.get(0).retired)), "the cull never came back once the lock was free");
            pool.lock();
            try {
                assertEquals(2, pool.workers.size(), "exactly the surplus worker retires");
                assertFalse(workers.get(1).retired || workers.get(2).retired, "the two idle workers a pool keeps retired");
            } finally {
                pool.unlock();
            }
        } finally {
            TimerWheel.shared().cancel(idleTimer);
        }
    }

    @Test
    void theMaydayTimeoutComesBackLaterInsteadOfWaitingForThePoolLock() throws Exception {
        // Nothing pending: a mayday timeout that gets the lock finds the pool not starved and
        // does not re-arm; one that finds the lock busy re-arms to try again.
        WorkerPool pool = new WorkerPool(90_003, Cpus.cpuAt(0), false);
        Timer maydayTimer = timer(pool, "maydayTimer");
        try {
            firesWhileThePoolLockIsHeld(pool, maydayTimer);
            // Firing, armed, firing, all false: settled, or a whole run fell between the reads,
            // begun after the release, so it had the lock. (Read without the lock, which a
            // poll holding it would keep busy for the timeout now and then.)
            assertTrue(await(() -> !maydayTimer.isFiring() && !maydayTimer.isArmed() && !maydayTimer.isFiring()),
                    "the mayday timeout never came back once the lock was free");
        } finally {
            TimerWheel.shared().cancel(maydayTimer);
        }
    }

    /**
     * A delayed item of an unbound workqueue whose pods share max_active is queued under its
     * pool's lock: a timer that expires while the lock is busy leaves the insertion to the
     * holder, who does it as it lets the lock go. Fails, the probe never firing, if the wheel
     * thread waits for the lock.
     */
    @Test
    void aDelayedItemThatQueuesUnderThePoolLockIsLeftToItsHolder() throws Exception {
        assumeTrue(Cpus.count() >= 2, "pods that share max_active need two CPUs (one pod each)");
        Workqueue wq = WorkqueueKind.UNBOUND_PODS.create("timer-insert");
        try {
            PoolWorkqueue pwq = wq.pwqs.routing().forCpuIndex(0);
            assertFalse(pwq.queuesWithoutLock(), "the pods' pwqs should share max_active, and queue under the lock");
            WorkerPool pool = pwq.pool;
            CountDownLatch ran = new CountDownLatch(1);
            DelayedWork item = new DelayedWork(ran::countDown);
            boolean held = true;
            pool.lock.lock();
            try {
                assertTrue(wq.queueDelayedOn(Cpus.cpuAt(0), item, Duration.ofMillis(1)));
                WheelProbe.assertFires(20, PROBE_WAIT_S,
                        "a timer due after the delayed item's never fired: the wheel thread waits for the pool lock");
                assertFalse(pool.lock.hasQueuedThreads(), "a thread queued for the pool lock");
                assertEquals(1, ran.getCount(), "the delayed item ran while its pool's lock was held");
                held = false;
                pool.unlock(); // the engine's release: serves what the timer thread left
            } finally {
                if (held) {
                    pool.lock.unlock();
                }
            }
            assertTrue(ran.await(10, TimeUnit.SECONDS), "the delayed item never ran once the lock was free");
        } finally {
            wq.shutdown();
            assertTrue(wq.awaitTermination(10, TimeUnit.SECONDS), wq + " did not terminate");
        }
    }

    /**
     * Holds {@code pool}'s lock while {@code callback} fires, and asserts that a timer due after
     * it fires meanwhile, the callback armed again to retry. Lets the lock go whatever happens,
     * so a wheel thread parked for it goes on (and the other tests of the fork with it).
     */
    private static void firesWhileThePoolLockIsHeld(WorkerPool pool, Timer callback) throws InterruptedException {
        pool.lock.lock();
        try {
            TimerWheel.shared().rearm(callback, TimeUnit.MILLISECONDS.toNanos(1));
            // Due 20 ticks after the callback: the wheel runs it only after the callback returned.
            WheelProbe.assertFires(20, PROBE_WAIT_S,
                    "a timer due after the pool's callback never fired: the wheel thread waits for the pool lock");
            assertFalse(pool.lock.hasQueuedThreads(), "a thread queued for the pool lock");
            assertEquals(0, pool.workers.stream().filter(w -> w.retired).count(), "a worker retired without the lock");
        } finally {
            pool.lock.unlock();
        }
    }

    /**
     * Waits, at most 10 s, for {@code done}; whether it came. A poll: the deferred callback is
     * due a tick after its last busy try, and nothing marks its run.
     */
    private static boolean await(BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /** {@code read} under the pool lock (for L fields). */
    private static boolean underLock(WorkerPool pool, BooleanSupplier read) {
        pool.lock();
        try {
            return read.getAsBoolean();
        } finally {
            pool.unlock();
        }
    }

    private static Timer timer(WorkerPool pool, String name) throws ReflectiveOperationException {
        Field f = WorkerPool.class.getDeclaredField(name);
        f.setAccessible(true);
        return (Timer) f.get(pool);
    }
}
