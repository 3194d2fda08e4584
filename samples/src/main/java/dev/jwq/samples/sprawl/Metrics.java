package dev.jwq.samples.sprawl;

import dev.jwq.samples.Cpu;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A metrics library with a scheduled reporter pool: one task ships counters, another samples
 * gauges; closing it ships a last report, so every counted request is reported exactly once.
 */
final class Metrics extends Library {
    private final ScheduledExecutorService reporters = own(ExecutorFactory.scheduled(2, ExecutorFactory.named("metrics-reporter")));
    private final LongAdder served = new LongAdder();
    private final AtomicLong reported = new AtomicLong();

    Metrics() {
        super("metrics");
        every(reporters, 50, this::report);
        every(reporters, 100, () -> Cpu.spinMicros(30));   // sample gauges
    }

    void requestServed() {
        served.increment();
    }

    private void report() {
        reported.addAndGet(served.sumThenReset());
    }

    @Override
    public void close() throws InterruptedException {
        try {
            reporters.submit(this::report).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the last metrics report failed", e.getCause());
        }
        super.close();
    }

    @Override
    List<String> problems(long requests) {
        List<String> out = super.problems(requests);
        if (reported.get() != requests) {
            out.add(name + ": reported " + reported.get() + " requests served, expected " + requests);
        }
        return out;
    }

    @Override
    String summary() {
        return reported.get() + " requests reported over " + ticks.get() + " reporter runs";
    }
}
