package dev.jwq.samples.sprawl;

import dev.jwq.samples.Cpu;
import java.util.List;
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
    List<String> problems(long requests) {
        List<String> out = super.problems(requests);
        long expected = (requests + EVERY - 1) / EVERY;   // ids 0, EVERY, 2 EVERY, ... below requests
        if (fired() != expected) {
            out.add(name + ": indexed " + fired() + " orders, expected " + expected);
        }
        return out;
    }

    @Override
    String summary() {
        return fired() + " documents indexed";
    }
}
