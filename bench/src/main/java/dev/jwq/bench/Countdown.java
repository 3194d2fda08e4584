package dev.jwq.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One benchmark operation's completion: a task that counts down, run {@code count} times; the
 * run that reaches zero opens a latch the benchmark thread waits on. One latch per operation,
 * so completion costs one atomic decrement per run.
 */
final class Countdown implements Runnable {
    /** How long an operation may take before the benchmark fails instead of hanging. */
    static final long TIMEOUT_SECONDS = 120;

    private final long count;
    private final AtomicLong remaining;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Throwable failure;

    Countdown(long count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive, was " + count);
        }
        this.count = count;
        this.remaining = new AtomicLong(count);
    }

    @Override
    public void run() {
        if (remaining.decrementAndGet() == 0) {
            done.countDown();
        }
    }

    /** A submitter failed: ends the operation with that failure. */
    void fail(Throwable t) {
        failure = t;
        done.countDown();
    }

    /**
     * Waits for the last run; returns the runs still missing (0; negative if some ran twice).
     *
     * @throws TimeoutException naming {@code executor} if the runs are not done in time
     */
    long await(String executor) throws InterruptedException, TimeoutException {
        boolean ended = done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException(executor + ": a submitter failed", f);
        }
        if (!ended) {
            throw new TimeoutException(executor + ": " + remaining.get() + " of " + count
                    + " runs still missing after " + TIMEOUT_SECONDS + " s");
        }
        return remaining.get();
    }
}
