package dev.jwq;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * {@link PendingFifo} is linearizable as a FIFO of many producers and one consumer at a time:
 * Lincheck's model checker runs pushes and polls from several threads, each poll with the
 * consumer's turn (the pool lock's holder and workers passing a slot on take it), in every
 * interleaving it reaches. In particular a poll never answers "empty" while an item whose push
 * has returned is still in the queue (that answer lost items to shutdownNow), and two consumers
 * never take one item or lose one (the turn's lock excludes them).
 */
public class PendingFifoLincheckTest {
    private final PendingFifo fifo = new PendingFifo();

    /** A work item's function that says which push made it. */
    private record Id(int value) implements Runnable {
        @Override
        public void run() {}
    }

    @Operation
    public void push(int value) {
        fifo.push(new Work(new Id(value)));
    }

    @Operation
    public int poll() {
        fifo.consume();
        try {
            Work w = fifo.poll();
            return w == null ? -1 : ((Id) w.fn).value();
        } finally {
            fifo.doneConsuming();
        }
    }

    @Test
    public void modelCheck() {
        new ModelCheckingOptions().iterations(20).invocationsPerIteration(500).threads(3).actorsPerThread(2)
                .actorsBefore(1).actorsAfter(1).check(getClass());
    }
}
