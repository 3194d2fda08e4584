package dev.jwq.timer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A carrier thread that arms a timer while a virtual thread it schedules waits for the wheel's
 * lock, by {@link TimerWheel#tryArm} retried (what {@code CarrierWatch.watch} does): both get
 * the lock. With {@link TimerWheel#arm}
 * the carrier queued behind the virtual thread, the release woke only the virtual thread, which
 * could not run while its carrier waited: a hang seen in the test suite (a jwq worker going
 * idle, a carrier registering with the carrier watch). The test forces that order: the lock is
 * held, the virtual thread queues for it, then the carrier arms; only then is it released.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CarrierArmTest {
    private final TimerWheel wheel = new TimerWheel("jwq/timer-carrier-test", TimeUnit.MILLISECONDS.toNanos(1));
    private Thread carrier;

    @AfterEach
    void stop() throws InterruptedException {
        if (carrier != null) {
            carrier.interrupt();
            carrier.join(TimeUnit.SECONDS.toMillis(10));
        }
        wheel.shutdown();
    }

    @Test
    void aCarrierArmingBehindItsVirtualThreadInTheLocksQueueLetsItRun() throws Exception {
        Timer byVirtual = new Idle(), byCarrier = new Idle();
        LinkedBlockingQueue<Runnable> runQueue = new LinkedBlockingQueue<>();
        CountDownLatch carrierArming = new CountDownLatch(1), carrierArmed = new CountDownLatch(1);
        // A one-thread scheduler: runs each continuation, and after the first (which returns
        // when the virtual thread parks for the lock) arms a timer, as a carrier's submit does.
        carrier = Thread.ofPlatform().name("carrier").daemon().start(() -> {
            try {
                runQueue.take().run();
                carrierArming.countDown();
                while (!wheel.tryArm(byCarrier, TimeUnit.HOURS.toNanos(1))) {
                    Thread.onSpinWait();
                }
                carrierArmed.countDown();
                for (;;) {
                    runQueue.take().run();
                }
            } catch (InterruptedException e) {
                // the test ended
            }
        });
        CountDownLatch virtualArmed = new CountDownLatch(1);
        wheel.lock.lock();
        Thread virtual;
        try {
            virtual = virtualThreadOn(runQueue::add, () -> {
                wheel.arm(byVirtual, TimeUnit.HOURS.toNanos(1));
                virtualArmed.countDown();
            });
            virtual.start();
            assertTrue(carrierArming.await(30, TimeUnit.SECONDS), "the virtual thread never parked for the lock");
            assertTrue(wheel.lock.hasQueuedThread(virtual), "the virtual thread is not queued for the lock");
            // A carrier that queues for the lock does so within this bound; one that spins never does.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (!wheel.lock.hasQueuedThread(carrier) && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
        } finally {
            wheel.lock.unlock();
        }
        assertTrue(carrierArmed.await(30, TimeUnit.SECONDS), "the carrier never armed its timer");
        assertTrue(virtualArmed.await(30, TimeUnit.SECONDS), "the virtual thread never armed its timer: stuck behind its carrier");
        assertTrue(byVirtual.isArmed() && byCarrier.isArmed());
        virtual.join();
    }

    /** A virtual thread scheduled by {@code scheduler} (the JDK's builder, opened to the tests). */
    private static Thread virtualThreadOn(Executor scheduler, Runnable task) throws ReflectiveOperationException {
        Constructor<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder").getDeclaredConstructor(Executor.class);
        c.setAccessible(true);
        return ((Thread.Builder.OfVirtual) c.newInstance(scheduler)).name("virtual").unstarted(task);
    }

    private static final class Idle extends Timer {
        @Override
        protected void expire() {}
    }
}
