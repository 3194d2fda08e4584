package dev.jwq;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps the JVM alive while any workqueue has work in flight or a delayed item armed.
 *
 * <p>Workers are shared by the whole process and are daemon threads, so that an idle runtime
 * never holds the JVM up. But a user of {@code java.util.concurrent} expects work that was
 * accepted to run even if {@code main} returns first: a {@code ThreadPoolExecutor}'s
 * non-daemon threads see to that. Here one non-daemon thread, {@code jwq/keepalive}, lives
 * while the count of busy workqueues (items in flight or timers armed) is above zero, and for
 * a short linger after, so that a trickle of work does not start a thread per item.
 *
 * <p>The linger is a whole period without work: the keeper ends when it wakes to find nothing
 * busy and nothing became busy since it last looked, so between one and two periods after the
 * last work (a JDK pool's threads hold the JVM up until it is shut down). It once ended
 * whenever nothing was busy at the instant it woke, which a trickle of short items (each busy
 * for microseconds) almost always was: at 10,000 items a second from one thread it was started
 * again 39 and 49 times in 12 seconds, each start a thread made on the queueing thread's path
 * (session 22, docs/status-2026-12.md).
 *
 * <p>Legend: V: lock-free; K: the {@code KeepAlive.class} monitor.
 */
final class KeepAlive {
    /** The keeper's period: it outlives the last busy workqueue by one to two, in case more work follows. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final AtomicInteger busy = new AtomicInteger();  // V: busy holds taken
    private static volatile Thread keeper;                           // V: the live keeper, or null
    private static long becameBusy;                                  // K: times busy went from 0 to 1
    private static long keepersStarted;                              // K: keeper threads started

    private KeepAlive() {}

    /** Something became busy; the JVM stays up until the matching {@link #release()}. */
    static void acquire() {
        if (busy.getAndIncrement() == 0) {
            ensureKeeper();
        }
    }

    static void release() {
        int n = busy.decrementAndGet();
        assert n >= 0;
    }

    private static synchronized void ensureKeeper() {
        becameBusy++;
        Thread k = keeper;
        if (k != null && k.isAlive()) {
            return;
        }
        k = new Thread(null, new Keeper(), "jwq/keepalive", 0, false);
        k.setDaemon(false);
        keeper = k;
        try {
            k.start();
            keepersStarted++;
        } catch (Throwable t) {
            // Cannot start a thread: accepted work still runs, the JVM just may exit before it.
            keeper = null;
        }
    }

    /** The keeper thread's body: a class, not a method reference, so that no lambda is spun for it. */
    private static final class Keeper implements Runnable {
        @Override
        public void run() {
            keep();
        }
    }

    private static void keep() {
        long seen = becameBusyCount();
        for (;;) {
            LockSupport.parkNanos(KeepAlive.class, LINGER_NANOS);
            synchronized (KeepAlive.class) {
                // Under the monitor: acquire() checks liveness under it too, so a 0 -> 1
                // transition either sees us alive or starts a new keeper after we go.
                if (busy.get() == 0 && becameBusy == seen) {
                    keeper = null;
                    return;
                }
                seen = becameBusy;
            }
        }
    }

    /** Times busy went from 0 to 1 so far (the keeper's look; tests). */
    static synchronized long becameBusyCount() {
        return becameBusy;
    }

    /** Busy holds taken now (tests). */
    static int busyCount() {
        return busy.get();
    }

    /** Keeper threads started so far (tests). */
    static synchronized long keepersStarted() {
        return keepersStarted;
    }

    /** The live keeper, or null (tests). */
    static Thread keeper() {
        return keeper;
    }
}
