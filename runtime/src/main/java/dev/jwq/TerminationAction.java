package dev.jwq;

import dev.jwq.timer.Timer;
import dev.jwq.timer.TimerWheel;

/**
 * What runs once a workqueue has terminated, for an executor built over it that has a
 * termination of its own to finish ({@code spi.OnTermination}: the agent's rewritten
 * {@code ThreadPoolExecutor}, whose {@code terminated()} hook is application code).
 *
 * <p>A workqueue terminates where its last item in flight ends, often on a worker under its
 * pool's lock; the action must run under none, so it goes through the timer wheel (whose thread
 * never waits for a pool lock) to the system unbound workqueue, as a delayed item would: within
 * about a tick (1 ms). An executor that waits for the termination does not wait for that: it
 * finishes its own as soon as {@link Workqueue#awaitTermination} returns.
 */
final class TerminationAction extends Timer {
    private final Runnable action; // I

    TerminationAction(Runnable action) {
        this.action = action;
    }

    /** Any thread, under any lock: runs the action on a system worker within about a tick. */
    void fire() {
        TimerWheel.shared().arm(this, 0);
    }

    /** Timer thread: hands the action to a worker (queueing waits for no pool lock). */
    @Override
    protected void expire() {
        Workqueues.unbound().execute(action);
    }
}
