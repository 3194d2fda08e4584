package dev.jwq;

import dev.jwq.timer.Timer;
import dev.jwq.timer.TimerWheel;

/**
 * A work item that can be queued after a delay ({@code struct delayed_work}). While its delay
 * runs it is pending: {@code queue} and {@code queueDelayed} return false, {@link #cancel()}
 * stops the timer, {@link #flush()} runs it at once and waits.
 *
 * <p>The delay sits on the one process-wide {@link TimerWheel}; when it expires the item is
 * queued on the workqueue and CPU given to {@link Workqueue#queueDelayed}.
 */
public class DelayedWork extends Work {
    /** The timer embedded in the item, like {@code dwork->timer}. */
    private final Timer timer = new Timer() {
        @Override
        protected void expire() {
            wq.queueFromTimer(DelayedWork.this);
        }
    };
    Workqueue wq;   // O: written by the PENDING owner before arming; read by the timer thread after
    int cpuIndex;   // O: likewise; Cpus.ANY for "the CPU the timer fires on"

    /**
     * Creates a delayed work item that runs {@code fn}.
     *
     * @param fn what the item runs
     * @throws NullPointerException if {@code fn} is null
     */
    public DelayedWork(Runnable fn) {
        super(fn);
    }

    /**
     * If the delay is still running, queues the item now; then waits for it to finish
     * ({@code flush_delayed_work}).
     *
     * @return true if it waited
     */
    @Override
    public boolean flush() {
        boolean hadTimer;
        if (TimerWheel.shared().cancel(timer)) {
            // We own PENDING through the disarmed timer: queue now, as the timer would have.
            wq.queueFromTimer(this);
            hadTimer = true;
        } else {
            // The timer may have just been taken off to fire: wait for its short callback to
            // put the item on its pool, so the flush below sees that instance.
            hadTimer = timer.isFiring();
            awaitTimerCallback();
        }
        // With a timer the item was pending at the call: it waited even if that instance
        // happened to finish before the wait below began.
        return super.flush() || hadTimer;
    }

    /** Owner only: starts the delay; the item stays PENDING until it is queued or cancelled. */
    final void arm(Workqueue wq, int cpuIndex, long delayNanos) {
        this.wq = wq;
        this.cpuIndex = cpuIndex;
        wq.timerArmed(this);
        boolean armed = TimerWheel.shared().arm(timer, delayNanos);
        assert armed : "timer of a non-pending item was armed";
    }

    /** Waits while the timer's expiry callback is under way (it only queues the item). */
    final void awaitTimerCallback() {
        for (int attempt = 0; timer.isFiring(); attempt++) {
            Backoff.pause(attempt);
        }
    }

    /** The item's timer: an identity key for the workqueue's set of armed items (user subclasses may redefine equals). */
    final Timer timer() {
        return timer;
    }

    /** Stops a running delay; true if it ran, and then the caller owns PENDING. */
    final boolean disarm() {
        if (TimerWheel.shared().cancel(timer)) {
            wq.timerDisarmed(this);
            return true;
        }
        return false;
    }

    @Override
    int tryGrabPending() {
        // A running delay is cancelled first: winning the cancel makes us the owner, as
        // del_timer() does in try_to_grab_pending.
        return disarm() ? GRAB_WAS_PENDING : super.tryGrabPending();
    }
}
