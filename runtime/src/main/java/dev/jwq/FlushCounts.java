package dev.jwq;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A work item's flush counts ({@link Work}, "Flush"): the instances queued and those finished or
 * cancelled, in queueing order; the instances cancelled while an earlier one still ran, held as
 * a credit until it ends; and the flushers waiting. On an object of their own, made the first
 * time the item needs them: queued as any item, or handed out while unseen ({@link Work},
 * "Unseen items"). An item {@code execute()} makes per task never needs them until it is handed
 * out, so a task's item is 8 bytes smaller (64 instead of 72 by JMH's {@code -prof gc} on a chain
 * step) and its queuer skips a store.
 *
 * <p>Tags (the package legend): queuedSeq O (the item's PENDING owner writes; read racily);
 * doneSeq and flushWaiters V; doneCredit L (the lock of the pool the item runs on).
 */
final class FlushCounts {
    private static final AtomicIntegerFieldUpdater<FlushCounts> QUEUED_SEQ =
            AtomicIntegerFieldUpdater.newUpdater(FlushCounts.class, "queuedSeq");
    private static final AtomicIntegerFieldUpdater<FlushCounts> DONE_SEQ =
            AtomicIntegerFieldUpdater.newUpdater(FlushCounts.class, "doneSeq");

    /*
     * Ints, not longs: they wrap after 2^32 instances, and only ever compare as differences
     * (doneSeq - target >= 0), exact while fewer than 2^31 instances of one item are in flight.
     */
    private volatile int queuedSeq;   // O
    private volatile int doneSeq;     // V: added to atomically (addDone)
    /**
     * L: instances cancelled while an earlier one runs. Read without the lock by a worker passing
     * on (Worker#passOn), after its volatile read of the item's state.
     */
    private int doneCredit;
    private volatile int flushWaiters; // V: flushers waiting, so that an end knows to notify

    /** Counts that start with {@code queued} instances queued (an unseen item handed out: its one instance). */
    FlushCounts(int queued) {
        this.queuedSeq = queued;
    }

    int queuedSeq() {
        return queuedSeq;
    }

    /** Instances cancelled while an earlier one ran, to count done after it (L; racy for a pass). */
    int credit() {
        return doneCredit;
    }

    /** L: one more instance cancelled while an earlier one runs. */
    void addCredit() {
        doneCredit++;
    }

    /** L: the instances cancelled while the running one ran, taken to count done with it. */
    int takeCredit() {
        int n = doneCredit;
        doneCredit = 0;
        return n;
    }

    /** Owner only: one more instance queued; a release store, flush() reads it racily anyway. */
    void incQueued() {
        QUEUED_SEQ.lazySet(this, queuedSeq + 1);
    }

    /**
     * {@code n} instances finished or were cancelled, in queueing order; wakes flushers waiting
     * for them. Atomic: a worker ending an instance without the pool lock ({@link
     * Worker#passOn}) may add while a canceller of the next instance adds under it.
     */
    void addDone(int n) {
        DONE_SEQ.getAndAdd(this, n);
        // Both volatile: either the flusher sees the new doneSeq, or we see its registration.
        if (flushWaiters != 0) {
            Object lock = flushLock();
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    /**
     * Monitors that flushers wait on, shared by items in stripes: the engine never lends an item's
     * own monitor (a user's {@code synchronized (work)} must not be able to hold up a pool), and
     * an item carries no lock object of its own (most are never flushed). A notify wakes the
     * flushers of the other items of the stripe too; they check their own count and wait again.
     */
    private static final Object[] FLUSH_LOCKS = new Object[64];

    static {
        for (int i = 0; i < FLUSH_LOCKS.length; i++) {
            FLUSH_LOCKS[i] = new Object();
        }
    }

    private Object flushLock() {
        return FLUSH_LOCKS[System.identityHashCode(this) & (FLUSH_LOCKS.length - 1)];
    }

    /** Waits until the instance numbered {@code target} has finished or was cancelled; whether it waited. */
    boolean awaitDone(int target) {
        if (doneSeq - target >= 0) { // wraps: see the fields
            return false;
        }
        boolean interrupted = false;
        Object lock = flushLock();
        synchronized (lock) {
            flushWaiters++;
            try {
                while (doneSeq - target < 0) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // flush_work is uninterruptible; keep the interrupt for the caller.
                        interrupted = true;
                    }
                }
            } finally {
                flushWaiters--;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
