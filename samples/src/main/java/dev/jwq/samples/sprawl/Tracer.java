package dev.jwq.samples.sprawl;

import dev.jwq.samples.Cpu;
import java.util.concurrent.ExecutorService;

/** A tracing SDK: finished spans go to one exporter thread. */
final class Tracer extends Library {
    private final ExecutorService exporter = own(ExecutorFactory.single(ExecutorFactory.named("BatchSpanProcessor")));

    Tracer() {
        super("tracer");
    }

    void span(long requestId) {
        fireAndForget(exporter, () -> Cpu.spinMicros(5));   // encode the span
    }

    @Override
    long expectedFired(long requests) {
        return requests;
    }

    @Override
    String summary() {
        return fired() + " spans exported";
    }
}
