package dev.jwq.samples.sprawl;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/** An asynchronous log appender: one thread formats and writes lines, in order. */
final class AsyncLogger extends Library {
    private final ExecutorService appender = own(ExecutorFactory.single(ExecutorFactory.named("AsyncAppender-Worker")));
    private final AtomicLong bytes = new AtomicLong();

    AsyncLogger() {
        super("async logger");
    }

    void log(String message) {
        long now = System.currentTimeMillis();
        fireAndForget(appender, () -> bytes.addAndGet((now + " INFO " + message + "\n").length()));
    }

    @Override
    long expectedFired(long requests) {
        return requests;
    }

    @Override
    String summary() {
        return fired() + " lines, " + bytes.get() + " bytes";
    }
}
