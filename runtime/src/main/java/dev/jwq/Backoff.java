package dev.jwq;

/**
 * How the engine waits out another thread's short step (an owner between setting PENDING and
 * linking the item, a timer callback under way): spin briefly, then yield. Spinning alone is
 * harmful here: the thread being waited for may share this CPU (pinned workers of one pool) and
 * cannot finish its step while we spin on it.
 */
final class Backoff {
    /** Tries that only spin; later ones yield the CPU. */
    static final int SPINS = 64;

    private Backoff() {}

    /** Waits a little before try number {@code attempt} (0-based) of a retry loop. */
    static void pause(int attempt) {
        if (attempt < SPINS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
