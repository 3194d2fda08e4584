package dev.jwq;

import dev.jwq.timer.Timer;
import dev.jwq.timer.TimerWheel;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The max_active of an unbound workqueue that has one PoolWorkqueue per pod, counted across
 * all of them ({@code wq_node_nr_active}): at most max_active of its items are active in the
 * process, whichever pods they were queued in (guarantee 14). A pwq whose item could not get a
 * slot waits on {@link #pending}; a freed slot goes to the pending pwqs in turn (round robin,
 * as {@code node_activate_pending_pwq} does), so a busy pod cannot starve another.
 *
 * <p>Handing a slot to another pod's pwq needs that pod's pool lock while the caller may hold
 * its own: it is only tried ({@code tryLock}), and when that fails the hand-over is done by
 * the shared timer thread, which holds no pool lock. That thread only tries too, and comes back
 * a tick later while the lock is busy: it never waits for a pool lock (see
 * {@link WorkerPool#BUSY_RETRY_NANOS}).
 *
 * <p>No slot is lost: a pwq registers on {@link #pending} and then tries for a slot once more;
 * a releaser frees its slot and then scans {@link #pending}. Whichever comes second sees the
 * other's step (both are sequentially consistent operations).
 *
 * <p>Legend: V: lock-free; a pwq's membership of {@link #pending} is changed under its pool lock
 * ({@link PoolWorkqueue#awaitingSlot}).
 */
final class UnboundActive {
    private final AtomicInteger nrActive = new AtomicInteger();                        // V
    /**
     * The workqueue's only pwq while it has one, which then counts against max_active by itself
     * (the atomic above stays 0); null once it has had more. Written under that pwq's pool lock
     * (and the workqueue mutex), read under a pool lock: only the solo pwq ever finds itself here.
     */
    volatile PoolWorkqueue solo;
    private volatile int maxActive;                                                    // V: written under W
    final ConcurrentLinkedQueue<PoolWorkqueue> pending = new ConcurrentLinkedQueue<>(); // V
    /** Hands slots over from the timer thread when a pool lock could not be taken at once. */
    private final Timer activator = new Timer() {
        @Override
        protected void expire() {
            activatePending(null, true);
        }
    };

    UnboundActive(int maxActive) {
        this.maxActive = maxActive;
    }

    /** Workqueue mutex: a new limit (0 while frozen); slots freed by a raise are handed out. */
    void setMaxActive(int n) {
        maxActive = n;
        activatePending(null);
    }

    boolean tryAcquire() {
        for (;;) {
            int n = nrActive.get();
            if (n >= maxActive) {
                return false;
            }
            if (nrActive.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        nrActive.decrementAndGet();
    }

    /** Takes over {@code n} slots already in use (by the pwq that counted them alone). */
    void add(int n) {
        nrActive.addAndGet(n);
    }

    /** Whether a pwq other than {@code head}, the first pending one, waits for a slot too. */
    private boolean othersWaitBehind(PoolWorkqueue head) {
        Iterator<PoolWorkqueue> it = pending.iterator();
        return it.hasNext() && (it.next() != head || it.hasNext());
    }

    /**
     * Gives free slots to pending pwqs, one item each in turn, until slots or pending pwqs run
     * out. {@code held}: the pool whose lock the caller holds, or null.
     */
    void activatePending(WorkerPool held) {
        activatePending(held, false);
    }

    /** {@link #activatePending(WorkerPool)}; {@code onTimer}: the activator's, which only tries pool locks. */
    private void activatePending(WorkerPool held, boolean onTimer) {
        assert held == null || held.isLocked();
        for (PoolWorkqueue pwq; (pwq = pending.peek()) != null; ) {
            WorkerPool p = pwq.pool;
            boolean mustLock = p != held;
            if (mustLock) {
                if (held == null && !onTimer) {
                    p.lock();
                } else if (!p.tryLock()) {
                    // To the activator: never two pool locks; the activator itself tries a tick later.
                    // The blocking arm is safe here: no carrier gets here. With held set, the caller
                    // ends or takes off an item under its pool lock (PoolWorkqueue.decNrInFlight: a
                    // worker at its item's end, a canceller's tryGrabPending, shutdownNow); a carrier
                    // holds a pool lock only in requestKick (activateAnnounced, then unlock:
                    // releaseAllHeld, activate, awaitSlot, kick), which ends no item. A virtual worker
                    // queued for the wheel's lock unmounts and frees its carrier; onTimer is the
                    // wheel's own thread.
                    TimerWheel.shared().arm(activator, onTimer ? WorkerPool.BUSY_RETRY_NANOS : 0);
                    return;
                }
            }
            try {
                if (!pwq.awaitingSlot) {
                    pending.remove(pwq); // stale entry: taken off by its own pool since we peeked
                    continue;
                }
                if (!pwq.hasWaitingItems()) {
                    pwq.stopAwaitingSlot();
                    continue;
                }
                if (!tryAcquire()) {
                    return;
                }
                pwq.activateFirstWithSlot();
                if (!pwq.hasWaitingItems()) {
                    pwq.stopAwaitingSlot();
                } else if (othersWaitBehind(pwq)) {
                    // Round robin: this pwq goes to the back while others wait. (Alone, it stays:
                    // the common case of one busy pwq then costs no queue node per item.)
                    pending.remove(pwq);
                    pending.add(pwq);
                }
            } finally {
                if (mustLock) {
                    p.unlock();
                }
            }
        }
    }
}
