package dev.jwq;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The items a pwq's queuers push without the pool lock, oldest first: a FIFO of many producers
 * and one consumer at a time, linked through {@link Work#pendingNext}. The consumer is whoever
 * has the consumer's turn ({@link #consume}), a lock (tag C in the package legend): the pool
 * lock's holder takes it for its moves, and a worker handing its item's slot to the oldest
 * waiting item without the pool lock ({@code Worker.passOn}) for one poll.
 *
 * <p>Intrusive, not a JCTools queue: a work item is on at most one list at a time through its
 * own links, so there is no node per item, and the consumer can hand an item to a list that
 * unlinks it in O(1) ({@code PoolWorkqueue.spillPending}), which cancel and shutdownNow need.
 *
 * <p>A producer swaps itself in as the tail, then links its predecessor to itself (or, finding
 * the queue empty, makes itself the head). Between the two, the consumer that reaches that
 * point waits for the link (a few instructions away,
 * unless the producer is preempted right there), as JCTools' MPSC queues do in {@code poll}: a
 * queue that reported the predecessor missing meanwhile lost items, since a shutdownNow or an
 * executor switching to its own queue looked at the waiting items, did not see one whose
 * queuer had long returned, and left it behind.
 *
 * <p><b>The turn waits as a lock's waiter does</b> (AQS: a brief spin, then parked until it is
 * given back), and passOn waits for it rather than fall back to the pool lock. On a full pwq of
 * two workers (a fixed-size pool's chains) both take the turn per item; a CAS turn that a loser
 * gave up on sent a step through the pool lock instead, and the two CPUs took the head's line
 * from each other item after item: 263-306 ns a twin-fixed chain step against 84-90 for a
 * {@code ThreadPoolExecutor}. Parked, the loser leaves the line to the winner, which runs steps
 * alone until it hands the turn over (as a {@code LinkedBlockingQueue}'s locks do): 89-93 ns
 * (scratch runs of 6 million steps, 2026-12-05). Spinning before parking measured worse (20
 * spins 205-233 ns, 100 spins 224-241), and so did a single lock for both ends (138-170). The
 * producers' side stays lock-free: one
 * queuer feeding workers (bursts) keeps the tail's line to itself (a lock for the pushes too
 * cost twin-fixed bursts from one thread 69 -> 148 ns a task). The run alone lasts as long as
 * the loser takes to come back: a parked platform thread, microseconds; a virtual worker
 * queued straight back to its carrier, a few hundred nanoseconds, so a virtual worker waiting
 * here in passOn asks its waker to pause first ({@code CarriedWorker.wakeLate}, which says
 * what it measured).
 *
 * <p>No holder of the turn unmounts holding it unless it holds the pool lock too: passOn only
 * polls an item already linked ({@link #pollLinked}, which never waits for a producer), so a
 * carrier that asks for the turn (a kick under the pool lock) never waits for a virtual worker
 * that would need that very carrier to give it back.
 *
 * <p>The ends are on cache lines of their own, the head with the turn's lock word, the tail with
 * the owning pwq's in-flight word, which queuers write per item too, padded off everything else
 * (CacheLinePadding.java says why and what it measured).
 *
 * <p>Tags (the package legend): V for both ends and the in-flight word, C for the turn.
 */
final class PendingFifo extends PendingFifoTail {

    private static final AtomicReferenceFieldUpdater<PendingFifoHead, Work> HEAD =
            AtomicReferenceFieldUpdater.newUpdater(PendingFifoHead.class, Work.class, "head");
    private static final AtomicReferenceFieldUpdater<PendingFifoTail, Work> TAIL =
            AtomicReferenceFieldUpdater.newUpdater(PendingFifoTail.class, Work.class, "tail");

    /** Any thread: appends {@code w}, which is on no list. */
    void push(Work w) {
        w.soPendingNext(null);
        Work prev = TAIL.getAndSet(this, w);
        if (prev == null) {
            // Release, not volatile: the swap above is what a consumer and a worker freeing a
            // slot order themselves against (Dekker, PoolWorkqueue's overview); a consumer that
            // sees the tail before this head waits for it (awaitHead).
            HEAD.lazySet(this, w);
        } else {
            prev.soPendingNext(w);
        }
    }

    /** Takes the consumer's turn, waiting for the consumer that has it (see the overview); {@link #doneConsuming} gives it back. */
    void consume() {
        acquire(1);
    }

    /** Takes the consumer's turn if no consumer has it; {@link #doneConsuming} gives it back. */
    boolean tryConsume() {
        return tryAcquire(1);
    }

    /** Gives the consumer's turn back: the next consumer sees what this one moved. */
    void doneConsuming() {
        release(1);
    }

    @Override
    protected boolean tryAcquire(int unused) {
        return compareAndSetState(0, 1);
    }

    @Override
    protected boolean tryRelease(int unused) {
        setState(0);
        return true;
    }

    /** Any thread: whether no item is queued, not even one whose producer is still linking it (racy). */
    boolean looksEmpty() {
        return head == null && tail == null;
    }

    /** The one consumer (the consumer's turn held): the oldest item, taken off, or null if the queue is empty. */
    Work poll() {
        Work h = head;
        if (h == null) {
            if (tail == null) {
                return null;
            }
            // A producer found the queue empty and swapped itself in, but has not yet made
            // itself the head: others may have queued behind it and returned.
            h = awaitHead();
        }
        return takeHead(h, true);
    }

    /**
     * The one consumer (the consumer's turn held), for a thread that must not wait: the oldest
     * item, taken off, or null if the queue is empty or the oldest item's producer has not
     * linked it yet (where {@link #poll} would wait for it). A worker passing its slot on without
     * the pool lock ({@code PoolWorkqueue.pollWaitingUnlocked}) uses it: holding the turn while
     * it waited, a virtual worker yields its carrier, and the carrier itself may be the next to
     * ask for the turn (a kick under the pool lock activates announced pwqs), spinning forever
     * for a worker it would have to run.
     */
    Work pollLinked() {
        Work h = head; // null: empty, or its first producer has not made itself the head yet
        return h == null ? null : takeHead(h, false);
    }

    /**
     * The consumer: takes the head {@code h} off; if it looks last but a producer has swapped
     * itself in behind it, waits for the link ({@code wait}) or leaves it and returns null.
     */
    private Work takeHead(Work h, boolean wait) {
        Work next = h.lvPendingNext();
        if (next == null) {
            if (tail == h) {
                // h looks last: detach it unless a producer swaps itself in behind it meanwhile.
                head = null;
                if (TAIL.compareAndSet(this, h, null)) {
                    return h;
                }
                head = h;
            }
            if (!wait) {
                return null;
            }
            next = awaitLink(h);
        }
        // Release, not volatile: producers never read the head, and the next consumer takes the
        // consumer's turn after us: a volatile store would add a full fence per item.
        HEAD.lazySet(this, next);
        h.soPendingNext(null);
        return h;
    }

    /** Spins until the producer that found the queue empty makes itself the head. */
    private Work awaitHead() {
        Work h;
        for (int attempt = 0; (h = head) == null; attempt++) {
            Backoff.pause(attempt);
        }
        return h;
    }

    /** Spins until the producer that swapped itself in behind {@code h} links it. */
    private static Work awaitLink(Work h) {
        Work next;
        for (int attempt = 0; (next = h.lvPendingNext()) == null; attempt++) {
            Backoff.pause(attempt);
        }
        return next;
    }

    /** Whether an item is linked at the head (exact for the consumer; a racy hint for anyone else). */
    boolean isEmpty() {
        return head == null;
    }
}
