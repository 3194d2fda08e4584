package dev.jwq;

import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code Workqueue.flush()} by flush colors ({@code flush_workqueue}).
 *
 * <p>Every queued item carries the color its PoolWorkqueue gives new items, and each pwq counts
 * items in flight per color. A flush takes the current work color as its own and moves every
 * pwq on to the next color, so items queued after the call get a newer color and neither
 * delay it nor are waited for. Flushers queue up oldest first; the oldest is "being flushed":
 * each pwq with items of its color in flight is marked, and the last such item to finish, on
 * whatever pool, completes the flush. The flusher then hands over to the next one. With 16
 * colors, up to 15 flushes can be outstanding; a 16th waits for a color to free up.
 *
 * <p>Legend: F: {@code lock}, the flush mutex (pool locks are taken inside it, never the
 * other way round); V: lock-free.
 */
final class WorkqueueFlusher {
    /** {@code WORK_NR_COLORS}. */
    static final int NR_COLORS = 16;

    /** One caller of flush(): waits for every item of {@code color} and older. */
    private static final class Flusher {
        final int color;                                  // I
        final CountDownLatch done = new CountDownLatch(1);
        boolean removed;                                  // F: taken off the queue by whoever completed it

        Flusher(int color) {
            this.color = color;
        }
    }

    private final Workqueue wq;                            // I
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition colorFreed = lock.newCondition();
    private int workColor;                                 // F: the color newly queued items get
    private final ArrayDeque<Flusher> flushers = new ArrayDeque<>(); // F: oldest first; head is being flushed
    private final AtomicInteger nrPwqsToFlush = new AtomicInteger(); // V: pwqs still holding the head's color
    private volatile Flusher current;                      // V: the head, for the completion path

    WorkqueueFlusher(Workqueue wq) {
        this.wq = wq;
    }

    /** Its flushers and the pwqs' counts, for a report of a flush that never ends (tests). */
    String describeState() {
        StringBuilder sb = new StringBuilder();
        lock.lock();
        try {
            sb.append("work color ").append(workColor).append(", flushing");
            for (Flusher f : flushers) {
                sb.append(' ').append(f.color);
            }
            sb.append(", pwqs to flush ").append(nrPwqsToFlush.get());
        } finally {
            lock.unlock();
        }
        PoolWorkqueue.forEachLocked(wq.pwqs(), pwq -> sb.append("\n  ").append(pwq.describeState()));
        return sb.toString();
    }

    /** Waits until every item queued before the call has finished. */
    void flush() {
        Flusher me;
        lock.lock();
        try {
            while (!flushers.isEmpty() && next(workColor) == flushers.peekFirst().color) {
                colorFreed.awaitUninterruptibly(); // every color is in use by an outstanding flush
            }
            me = new Flusher(workColor);
            workColor = next(workColor);
            int color = workColor;
            PoolWorkqueue.forEachLocked(wq.pwqs(), pwq -> pwq.setWorkColor(color));
            flushers.addLast(me);
            if (flushers.size() == 1) {
                advance();
            }
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        for (;;) {
            try {
                me.done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // flush_workqueue is uninterruptible; keep the interrupt
            }
        }
        lock.lock();
        try {
            if (!me.removed) {
                // The completion path finished our color: hand over to the next flusher.
                assert flushers.peekFirst() == me;
                flushers.removeFirst();
                me.removed = true;
                colorFreed.signalAll();
                advance();
            }
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * F: starts flushing the head's color; heads whose color has nothing in flight complete at
     * once ({@code flush_workqueue_prep_pwqs}).
     */
    private void advance() {
        assert lock.isHeldByCurrentThread();
        while (!flushers.isEmpty()) {
            Flusher head = flushers.peekFirst();
            current = head;
            nrPwqsToFlush.set(1); // bias: the completion path cannot finish before we are done marking
            for (PoolWorkqueue pwq : wq.pwqs()) {
                pwq.pool.lock();
                try {
                    if (pwq.nrInFlight(head.color) > 0) {
                        pwq.flushColor = head.color;
                        nrPwqsToFlush.incrementAndGet();
                    }
                } finally {
                    pwq.pool.unlock();
                }
            }
            if (nrPwqsToFlush.decrementAndGet() != 0) {
                return; // in progress: the last pwq to drain this color calls pwqFlushed()
            }
            flushers.removeFirst();
            head.removed = true;
            head.done.countDown();
            colorFreed.signalAll();
        }
    }

    /**
     * Takes the flush mutex and returns the color newly queued items get: no flush moves the
     * colors on until {@link #unlockWorkColor}, so new pwqs start with it ({@code link_pwq}).
     * A lock and an unlock, not a callback: a lambda is a class spun at run time, and the first
     * item of a per-CPU workqueue comes here (bench/README "Load cost").
     */
    int lockWorkColor() {
        lock.lock();
        return workColor;
    }

    /** Releases the flush mutex {@link #lockWorkColor} took. */
    void unlockWorkColor() {
        lock.unlock();
    }

    /** A pwq's last item of the color being flushed finished; called under that pwq's pool lock. */
    void pwqFlushed() {
        if (nrPwqsToFlush.decrementAndGet() == 0) {
            current.done.countDown();
        }
    }

    private static int next(int color) {
        return (color + 1) % NR_COLORS;
    }
}
