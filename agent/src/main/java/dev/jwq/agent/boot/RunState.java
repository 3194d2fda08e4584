package dev.jwq.agent.boot;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lifecycle of a rewritten executor, ThreadPoolExecutor's: RUNNING -&gt; SHUTDOWN -&gt; STOP
 * -&gt; TIDYING (the {@code terminated()} hook runs) -&gt; TERMINATED. The executor says when it
 * is idle enough to terminate; this class does the transitions and the waiting.
 *
 * <p>Legend: I: final; M: {@code mainLock}; V: volatile, written under M.
 */
final class RunState {
    static final int RUNNING = 0, SHUTDOWN = 1, STOP = 2, TIDYING = 3, TERMINATED = 4;

    private final ReentrantLock mainLock = new ReentrantLock();    // I
    private final Condition termination = mainLock.newCondition(); // I
    private volatile int state = RUNNING;                          // V

    int get() {
        return state;
    }

    /** Moves to {@code target} unless already there or past it. */
    void advance(int target) {
        mainLock.lock();
        try {
            if (state < target) {
                state = target;
            }
        } finally {
            mainLock.unlock();
        }
    }

    /** The executor's side of termination (a class of its own: see {@link ActiveTasks.Owner}). */
    interface Termination {
        /** Idle enough to terminate. */
        boolean idle();

        /** The executor's {@code terminated()} hook. */
        void terminated();
    }

    /**
     * TIDYING then TERMINATED, running {@code t.terminated()} between them, if shut down and
     * {@code t.idle()} holds (it is checked again under the lock). Returns whether this call did it.
     */
    boolean tryTerminate(Termination t) {
        int s = state;
        if (s == RUNNING || s >= TIDYING || !t.idle()) {
            return false;
        }
        mainLock.lock();
        try {
            if (state >= TIDYING || !t.idle()) {
                return false;
            }
            state = TIDYING;
            try {
                t.terminated();
            } finally {
                state = TERMINATED;
                termination.signalAll();
            }
            return true;
        } finally {
            mainLock.unlock();
        }
    }

    boolean isShutdown() {
        return state >= SHUTDOWN;
    }

    boolean isTerminating() {
        int s = state;
        return s >= SHUTDOWN && s < TERMINATED;
    }

    boolean isTerminated() {
        return state == TERMINATED;
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        mainLock.lock();
        try {
            while (state < TERMINATED) {
                if (nanos <= 0L) {
                    return false;
                }
                nanos = termination.awaitNanos(nanos);
            }
            return true;
        } finally {
            mainLock.unlock();
        }
    }

    String describe() {
        int s = state;
        return s == RUNNING ? "Running" : s == TERMINATED ? "Terminated" : "Shutting down";
    }
}
