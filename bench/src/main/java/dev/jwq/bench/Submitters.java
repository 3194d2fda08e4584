package dev.jwq.bench;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Dedicated platform threads that each submit a share of an operation's tasks, released by the
 * benchmark thread through a barrier, so that thread start-up is not part of the measurement.
 */
final class Submitters implements AutoCloseable {
    private final Thread[] threads;
    private final CyclicBarrier start;
    // Written by the benchmark thread before start.await(), read by the submitters after it:
    // the barrier orders them.
    private Executor exec;
    private Countdown task;
    private int tasks;
    private volatile boolean closed;
    private volatile Throwable failure;

    Submitters(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("submitters must be positive, was " + n);
        }
        threads = new Thread[n];
        start = new CyclicBarrier(n + 1);
        for (int i = 0; i < n; i++) {
            int id = i;
            threads[i] = Thread.ofPlatform().daemon().name("bench-submitter-" + i).start(() -> loop(id));
        }
    }

    /** Starts an operation: submitter i hands its share of {@code total} runs of {@code task} to {@code exec}; returns at once. */
    void submit(Executor exec, Countdown task, int total) throws Exception {
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("a submitter failed", f);
        }
        this.exec = exec;
        this.task = task;
        this.tasks = total;
        start.await(Countdown.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private void loop(int id) {
        Countdown t = null;
        try {
            for (;;) {
                start.await();
                if (closed) {
                    return;
                }
                Executor e = exec;
                t = task;
                int n = tasks / threads.length + (id < tasks % threads.length ? 1 : 0);
                for (int i = 0; i < n; i++) {
                    e.execute(t);
                }
            }
        } catch (Throwable x) {
            failure = x;
            if (t != null) {
                t.fail(x);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        try {
            start.await(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // A broken or timed-out barrier also ends the loops.
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
    }
}
