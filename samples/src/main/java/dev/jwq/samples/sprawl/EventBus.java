package dev.jwq.samples.sprawl;

import dev.jwq.samples.Cpu;
import java.util.concurrent.ExecutorService;

/**
 * An event bus in the style of Guava's AsyncEventBus: one thread delivers events in order;
 * the search indexer subscribes to one order in {@link SearchIndexer#EVERY}.
 */
final class EventBus extends Library {
    private final ExecutorService delivery = own(ExecutorFactory.single(ExecutorFactory.named("event-bus")));
    private final SearchIndexer indexer;

    EventBus(SearchIndexer indexer) {
        super("event bus");
        this.indexer = indexer;
    }

    void publish(long orderId) {
        fireAndForget(delivery, () -> {
            Cpu.spinMicros(10);   // dispatch to subscribers
            if (orderId % SearchIndexer.EVERY == 0) {
                indexer.index(orderId);
            }
        });
    }

    @Override
    long expectedFired(long requests) {
        return requests;
    }

    @Override
    String summary() {
        return fired() + " events delivered";
    }
}
