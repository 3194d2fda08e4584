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
 * <p>The keeper ends once nothing has been busy for a whole quiet window ({@link #QUIET_NANOS}):
 * it waits for the busy count to reach zero (the release that takes it there wakes it), then
 * looks again a window later, and ends if nothing became busy meanwhile. So a program whose work
 * is done exits one to two windows later, and a trickle of short items (each busy for
 * microseconds) keeps one keeper. Two rules came before, each with a cost: ending whenever
 * nothing was busy at the instant the keeper woke (every 100 ms) started it again 39 and 49
 * times in 12 seconds at 10,000 items a second, each start a thread made on the queueing
 * thread's path; a whole 100 ms period without work (session 22) held every short program up
 * for 100-200 ms at its exit (a first executor's program under the agent: 0.20 s of wall time
 * against 0.04 s without; docs/status-2026-12.md, session 23).
 *
 * <p>Legend: V: lock-free; K: the {@code KeepAlive.class} monitor.
 */
final class KeepAlive {
    /** How long nothing must be busy before the keeper ends (and how long a program's exit waits for it). */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** The keeper's longest park while work is busy: a release to zero wakes it sooner. */
    private static final long BUSY_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final AtomicInteger busy = new AtomicInteger();  // V: busy holds taken
    private static volatile Thread keeper;                           // V: the live keeper, or null
    /** V: the keeper waits for busy to reach zero: the release that takes it there unparks it. */
    private static volatile boolean keeperWaits;
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
        // Dekker with the keeper: it sets keeperWaits, then reads busy; we count down, then read it.
        if (n == 0 && keeperWaits) {
            Thread k = keeper;
            if (k != null) {
                LockSupport.unpark(k);
            }
        }
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
        for (;;) {
            keeperWaits = true;
            while (busy.get() != 0) {
                LockSupport.parkNanos(KeepAlive.class, BUSY_PARK_NANOS);
            }
            keeperWaits = false;
            long seen = becameBusyCount();
            long end = System.nanoTime() + QUIET_NANOS;
            for (long left; (left = end - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(KeepAlive.class, left); // on the clock: a stale permit does not shorten it
            }
            synchronized (KeepAlive.class) {
                // Under the monitor: acquire() checks liveness under it too, so a 0 -> 1
                // transition either sees us alive or starts a new keeper after we go.
                if (busy.get() == 0 && becameBusy == seen) {
                    keeper = null;
                    return;
                }
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
