package dev.jwq.samples.sprawl;

import dev.jwq.samples.Cpu;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A search indexer that builds its pool with {@code new ThreadPoolExecutor(...)}. */
final class SearchIndexer extends Library {
    /** One order in EVERY is indexed. */
    static final int EVERY = 4;

    private final ExecutorService indexers = own(ExecutorFactory.threadPool(4, 4, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), ExecutorFactory.named("search-indexer")));

    SearchIndexer() {
        super("search indexer");
    }

    void index(long orderId) {
        fireAndForget(indexers, () -> Cpu.spinMicros(40));
    }

    @Override
    long expectedFired(long requests) {
        return multiples(requests, EVERY);
    }

    @Override
    String summary() {
        return fired() + " documents indexed";
    }
}
