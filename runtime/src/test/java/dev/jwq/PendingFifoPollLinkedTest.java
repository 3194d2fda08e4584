package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link PendingFifo#pollLinked} never waits for a producer caught between its two steps (the
 * swap of the tail, then the link), where {@link PendingFifo#poll} waits: a worker holding the
 * consumer's turn without the pool lock must not yield its carrier while it holds it. The
 * half-done pushes are made by hand, as a producer preempted there would leave them, and the
 * item is neither lost nor taken twice once the producer finishes.
 */
class PendingFifoPollLinkedTest {
    private static final long PROMPTLY_MILLIS = 5_000;

    @Test
    void emptyQueueGivesNull() {
        PendingFifo fifo = new PendingFifo();
        assertNull(promptly(fifo::pollLinked));
        assertTrue(fifo.looksEmpty());
    }

    @Test
    void firstProducerBetweenSwapAndHead() {
        PendingFifo fifo = new PendingFifo();
        Work a = item();
        fifo.tail = a; // swapped in on an empty queue, not yet the head
        assertNull(promptly(fifo::pollLinked), "waited for, or invented, the head");
        fifo.head = a; // the producer finishes
        assertSame(a, fifo.pollLinked());
        assertNull(fifo.pollLinked());
        assertTrue(fifo.looksEmpty());
    }

    @Test
    void producerBetweenSwapAndLinkBehindTheHead() {
        PendingFifo fifo = new PendingFifo();
        Work a = item(), b = item(), c = item();
        fifo.push(a);
        fifo.tail = b; // swapped in behind a, a not yet linked to it
        assertNull(promptly(fifo::pollLinked), "waited for the link, or took a past it");
        assertSame(a, fifo.head, "the head was lost");
        a.soPendingNext(b); // the producer finishes
        fifo.push(c);
        assertSame(a, fifo.pollLinked());
        assertSame(b, fifo.pollLinked());
        assertSame(c, fifo.pollLinked());
        assertNull(fifo.pollLinked());
        assertTrue(fifo.looksEmpty());
    }

    @Test
    void blockingPollStillFindsWhatPollLinkedLeft() {
        PendingFifo fifo = new PendingFifo();
        Work a = item(), b = item();
        fifo.push(a);
        fifo.tail = b;
        assertNull(promptly(fifo::pollLinked));
        Thread producer = new Thread(() -> a.soPendingNext(b));
        producer.start();
        assertSame(a, promptly(fifo::poll));
        assertSame(b, fifo.poll());
        assertNull(fifo.poll());
    }

    /** What {@code poll} returns, on a daemon thread: a poll still waiting after 5 s fails the test (and spins on, harmlessly). */
    private static Work promptly(Supplier<Work> poll) {
        AtomicReference<Work> result = new AtomicReference<>();
        Thread t = new Thread(() -> result.set(poll.get()), "poll");
        t.setDaemon(true);
        t.start();
        try {
            t.join(PROMPTLY_MILLIS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (t.isAlive()) {
            fail("the poll waited for a producer that had not finished its push");
        }
        return result.get();
    }

    private static Work item() {
        return new Work(() -> { });
    }
}
