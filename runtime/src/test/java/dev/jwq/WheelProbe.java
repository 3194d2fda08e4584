package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.timer.Timer;
import dev.jwq.timer.TimerWheel;
import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** Tests' access to the shared timer wheel: its lock, and a probe that its thread still fires timers. */
final class WheelProbe {
    private WheelProbe() {}

    /** The shared wheel's lock (private to {@code dev.jwq.timer}), for tests that hold the wheel still. */
    static ReentrantLock lock() throws ReflectiveOperationException {
        Field f = TimerWheel.class.getDeclaredField("lock");
        f.setAccessible(true);
        return (ReentrantLock) f.get(TimerWheel.shared());
    }

    /**
     * Arms a timer {@code delayMillis} out and asserts, with {@code message}, that it fires within
     * {@code waitSeconds}: a wheel thread stuck in an earlier callback never fires it. The timer
     * is cancelled either way.
     */
    static void assertFires(long delayMillis, long waitSeconds, String message) throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        Timer probe = new Timer() {
            @Override
            protected void expire() {
                fired.countDown();
            }
        };
        TimerWheel.shared().arm(probe, TimeUnit.MILLISECONDS.toNanos(delayMillis));
        try {
            assertTrue(fired.await(waitSeconds, TimeUnit.SECONDS), message);
        } finally {
            TimerWheel.shared().cancel(probe);
        }
    }
}
