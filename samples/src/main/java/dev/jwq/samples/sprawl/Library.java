package dev.jwq.samples.sprawl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake third-party library: it creates its own executors, as real ones do, and stops them
 * on {@link #close()}, letting what was queued finish.
 */
abstract class Library implements AutoCloseable {
    final String name;
    private final List<ExecutorService> executors = new ArrayList<>();
    /** Fire-and-forget tasks handed to this library's executors, and those that ran to the end. */
    private final AtomicLong submitted = new AtomicLong(), ran = new AtomicLong();
    /** Runs of this library's periodic tasks. */
    final AtomicLong ticks = new AtomicLong();

    Library(String name) {
        this.name = name;
    }

    /** Registers an executor this library owns. */
    final <E extends ExecutorService> E own(E executor) {
        executors.add(executor);
        return executor;
    }

    final int executorCount() {
        return executors.size();
    }

    /** Hands {@code task} to {@code executor} without waiting, counting it, so that none goes missing unseen. */
    final void fireAndForget(ExecutorService executor, Runnable task) {
        submitted.incrementAndGet();
        executor.execute(() -> {
            task.run();
            ran.incrementAndGet();
        });
    }

    final long fired() {
        return ran.get();
    }

    /** Runs {@code task} every {@code periodMs}, as housekeepers and reporters do. */
    final void every(ScheduledExecutorService scheduler, long periodMs, Runnable task) {
        scheduler.scheduleAtFixedRate(() -> {
            task.run();
            ticks.incrementAndGet();
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * How many fire-and-forget tasks must have run once {@code requests} requests were served,
     * or -1 if this library has no such expectation.
     */
    long expectedFired(long requests) {
        return -1;
    }

    /** How many of {@code requests} ids (0, 1, ...) are multiples of {@code every}. */
    static long multiples(long requests, int every) {
        return (requests + every - 1) / every;
    }

    /**
     * What went wrong in this library after {@code requests} requests were served and it was
     * closed: fire-and-forget tasks that never ran (or threw) or were never submitted, and what
     * a subclass checks.
     */
    List<String> problems(long requests) {
        List<String> out = new ArrayList<>();
        if (ran.get() != submitted.get()) {
            out.add(name + ": " + submitted.get() + " tasks submitted, " + ran.get() + " ran to the end");
        }
        long expected = expectedFired(requests);
        if (expected >= 0 && ran.get() != expected) {
            out.add(name + ": " + ran.get() + " tasks ran for " + requests + " requests, expected " + expected);
        }
        return out;
    }

    /** One line of what it did. */
    abstract String summary();

    /** Shuts its executors down and waits for what they had queued. */
    @Override
    public void close() throws InterruptedException {
        for (ExecutorService e : executors) {
            e.shutdown();
        }
        for (ExecutorService e : executors) {
            if (!e.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + ": an executor did not terminate within 30 s");
            }
        }
    }
}
