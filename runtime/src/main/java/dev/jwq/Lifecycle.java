package dev.jwq;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A workqueue's run state, as {@code ThreadPoolExecutor} writes its own:
 * <pre>
 *  RUNNING  -&gt; SHUTDOWN    shutdown(): outside queueing refused, queued items still run
 *  SHUTDOWN -&gt; STOP        shutdownNow(): pending items taken off, running ones interrupted
 *  SHUTDOWN -&gt; TERMINATED  nothing in flight and no timer armed (checked where either count drops)
 *  STOP     -&gt; TERMINATED  likewise
 * </pre>
 * The state only moves forward, each step by one CAS, so no two of them can undo each other:
 * {@code shutdownNow}'s step to STOP never turns a workqueue that terminated meanwhile back into
 * a stopping one.
 *
 * <p>Legend: V: the state word, CAS-only.
 */
final class Lifecycle {
    static final int RUNNING = 0, SHUTDOWN = 1, STOP = 2, TERMINATED = 3;

    private volatile int state = RUNNING; // V


    /* A field updater, not a VarHandle: see "Field updaters" in package-info.java. */
    private static final AtomicIntegerFieldUpdater<Lifecycle> STATE = AtomicIntegerFieldUpdater.newUpdater(Lifecycle.class, "state");

    int get() {
        return state;
    }

    /** RUNNING -&gt; SHUTDOWN; true for the one call that made the step. */
    boolean shutdown() {
        return STATE.compareAndSet(this, RUNNING, SHUTDOWN);
    }

    /** SHUTDOWN -&gt; STOP (call {@link #shutdown()} first); true for the call that made the step. */
    boolean stop() {
        return STATE.compareAndSet(this, SHUTDOWN, STOP);
    }

    /** SHUTDOWN or STOP -&gt; TERMINATED; true for the one call that made the step. */
    boolean terminate() {
        for (;;) {
            int s = state;
            if (s != SHUTDOWN && s != STOP) {
                return false;
            }
            if (STATE.compareAndSet(this, s, TERMINATED)) {
                return true;
            }
        }
    }
}
