package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.timer.Timer;
import dev.jwq.timer.TimerWheel;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A carrier that creates a worker for its pool during the creation cooldown (the kick of a
 * virtual worker's sleeping report: {@code requestKick -> unlock -> kick -> createWorker}) arms
 * the mayday timer while a virtual thread it schedules waits for the shared wheel's lock (an
 * item arming delayed work). Queued behind that thread ({@code TimerWheel.arm}), the carrier
 * waits for it, and it waits for the carrier. The test forces that order: the wheel's lock is
 * held, the virtual thread queues for it, then the carrier creates; only then is it released.
 * A one-thread scheduler stands for the carrier: the real one's rescue, the carrier watch,
 * runs on the wheel thread, which the pool's mayday timer sends to wait for the pool lock that
 * the carrier holds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CarrierMaydayArmTest {
    @Test
    void aCarrierCreatingDuringTheCooldownDoesNotQueueBehindItsVirtualThreadForTheWheel() throws Exception {
        WorkerPool pool = new WorkerPool(90_001, Cpus.cpuAt(0), false);
        Field retryAt = WorkerPool.class.getDeclaredField("creationRetryAt");
        retryAt.setAccessible(true);
        retryAt.setLong(pool, System.nanoTime() + TimeUnit.HOURS.toNanos(1)); // cooling down after a failure
        ReentrantLock wheelLock = WheelProbe.lock();
        Timer byVirtual = new Timer() {
            @Override
            protected void expire() {}
        };

        LinkedBlockingQueue<Runnable> runQueue = new LinkedBlockingQueue<>();
        CountDownLatch carrierCreating = new CountDownLatch(1), carrierCreated = new CountDownLatch(1);
        // Runs the virtual thread's first continuation (it returns when the thread parks for the
        // wheel's lock), then creates under the pool lock as the kick does, then runs the rest.
        Thread carrier = Thread.ofPlatform().name("carrier").daemon().start(() -> {
            try {
                runQueue.take().run();
                carrierCreating.countDown();
                pool.lock.lock();
                try {
                    pool.manage(); // createWorker, cooling down: arms the mayday timer
                } finally {
                    pool.lock.unlock();
                }
                carrierCreated.countDown();
                for (;;) {
                    runQueue.take().run();
                }
            } catch (InterruptedException e) {
                // the test ended
            }
        });
        CountDownLatch virtualArmed = new CountDownLatch(1);
        Thread virtual;
        wheelLock.lock();
        try {
            virtual = virtualThreadOn(runQueue::add, () -> {
                TimerWheel.shared().arm(byVirtual, TimeUnit.HOURS.toNanos(1));
                virtualArmed.countDown();
            });
            virtual.start();
            assertTrue(carrierCreating.await(30, TimeUnit.SECONDS), "the virtual thread never parked for the lock");
            assertTrue(wheelLock.hasQueuedThread(virtual), "the virtual thread is not queued for the wheel's lock");
            // A carrier that queues for the lock does so within this bound; one that retries tryLock never does.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (!wheelLock.hasQueuedThread(carrier) && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
        } finally {
            wheelLock.unlock();
        }
        try {
            assertTrue(carrierCreated.await(10, TimeUnit.SECONDS),
                    "the carrier never armed the mayday timer: queued for the wheel's lock behind its own virtual thread");
            assertTrue(virtualArmed.await(30, TimeUnit.SECONDS), "the virtual thread never armed its timer");
            assertTrue(virtual.join(java.time.Duration.ofSeconds(30)));
        } finally {
            TimerWheel.shared().cancel(byVirtual);
            Field mayday = WorkerPool.class.getDeclaredField("maydayTimer");
            mayday.setAccessible(true);
            TimerWheel.shared().cancel((Timer) mayday.get(pool));
            carrier.interrupt();
        }
    }

    /** A virtual thread scheduled by {@code scheduler} (the JDK's builder, opened to the tests). */
    private static Thread virtualThreadOn(Executor scheduler, Runnable task) throws ReflectiveOperationException {
        Constructor<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder").getDeclaredConstructor(Executor.class);
        c.setAccessible(true);
        return ((Thread.Builder.OfVirtual) c.newInstance(scheduler)).name("virtual").unstarted(task);
    }
}
