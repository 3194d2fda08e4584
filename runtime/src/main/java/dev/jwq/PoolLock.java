package dev.jwq;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool's lock ({@code pool->lock}), which can name its holder: the watchdog, which never waits
 * for a pool lock, reports a lock held by one thread throughout a stall ({@link Watchdog}).
 * {@link ReentrantLock#getOwner()} is protected for that use: monitoring, best effort.
 */
final class PoolLock extends ReentrantLock {
    /** The thread holding the lock now, or null; a snapshot that may be stale at once. */
    Thread owner() {
        return getOwner();
    }
}
